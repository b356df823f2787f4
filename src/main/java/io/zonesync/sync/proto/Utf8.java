package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 both ways: text that would not survive a round trip is refused, not mangled. */
final class Utf8 {
    private Utf8() {
    }

    /** The UTF-8 bytes of {@code text}, checked against {@code min..max}; what names the field. */
    static byte[] encode(String text, String what, int min, int max) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        byte[] bytes;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            bytes = new byte[b.remaining()];
            b.get(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not valid Unicode text", e);
        }
        checkLength(bytes.length, what, min, max);
        return bytes;
    }

    static int length(String text, String what, int min, int max) {
        return encode(text, what, min, max).length;
    }

    static void checkLength(int length, String what, int min, int max) {
        if (length < min) {
            throw new IllegalArgumentException(what + " length " + length + " is below the minimum " + min);
        }
        if (length > max) {
            throw new IllegalArgumentException(what + " length " + length + " exceeds the limit " + max);
        }
    }

    /** Decodes {@code length} bytes at the reader index and moves past them. */
    static String decode(ByteBuf in, int length, String what) {
        ByteBuffer nio = in.nioBuffer(in.readerIndex(), length);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nio)
                    .toString();
            in.skipBytes(length);
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtocolException(AbortCode.MALFORMED, what + " (" + length + " bytes) is not valid UTF-8");
        }
    }

    /**
     * Cuts text to at most {@code maxBytes} UTF-8 bytes without splitting a character; a lone
     * surrogate becomes '?', so the result always encodes.
     */
    static String truncate(String text, int maxBytes) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), maxBytes));
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                cp = '?';
            }
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
        }
        return sb.toString();
    }
}
