package io.zonesync.http.limitreq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The evaluated key of a {@code limit_req_zone} as bytes, with value equality (the engine keeps it in
 * its log of changes to send). Variable values are Java strings whose characters are either bytes
 * (request data, {@code $binary_remote_addr}) or decoded text; {@link #of} gives the bytes nginx
 * would have: one byte per character when every character fits one, UTF-8 otherwise.
 */
public final class LimitKey {
    private final byte[] bytes;
    private final int hash;

    private LimitKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps bytes the caller will not change (a record's key). */
    public static LimitKey wrap(byte[] bytes) {
        return new LimitKey(bytes);
    }

    public static LimitKey of(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return new LimitKey(value.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new LimitKey(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The key bytes; do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Printable: ASCII as is, other bytes as {@code \xNN}, at most 64 bytes shown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(bytes.length, 64);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return bytes.length > n ? sb + "..." : sb.toString();
    }
}
