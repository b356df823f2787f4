package io.zonesync.stream.healthcheck;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A stream {@code match NAME { send "..."; expect "..." | expect ~ | ~* "regex"; }} block of NGINX
 * Plus: what a health check sends once connected, and what the data the server sends back must
 * contain (a literal) or match (a regular expression, {@code ~*} without case). Both may carry
 * {@code \xHH} bytes; {@code \r}, {@code \n}, {@code \t} are the configuration's own escapes. The
 * data is read as ISO-8859-1, one character a byte. Immutable.
 *
 * @param send the bytes sent, or null
 * @param literal the bytes expected, or null
 * @param regex the pattern expected, or null
 */
public record StreamMatch(String name, byte[] send, byte[] literal, Pattern regex) {

    /** Whether the block tests what the server answers. */
    public boolean expects() {
        return literal != null || regex != null;
    }

    /** Whether {@code data} (everything read so far) is what was expected. */
    public boolean test(byte[] data) {
        if (regex != null) {
            return regex.matcher(new String(data, StandardCharsets.ISO_8859_1)).find();
        }
        return indexOf(data, literal) >= 0;
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads a stream {@code match} block; errors name the line. */
    public static StreamMatch parse(Directive match) throws ConfigException {
        if (!match.hasBlock()) {
            throw match.error("directive \"match\" has no opening \"{\"");
        }
        byte[] send = null;
        byte[] literal = null;
        Pattern regex = null;
        boolean expected = false;
        for (Directive d : match.block().directives()) {
            switch (d.name()) {
                case "send" -> {
                    if (d.argCount() != 1) {
                        throw d.error("invalid number of arguments in \"send\" directive");
                    }
                    if (send != null) {
                        throw d.error("\"send\" directive is duplicate");
                    }
                    send = bytes(d, d.arg(0));
                }
                case "expect" -> {
                    if (expected) {
                        throw d.error("\"expect\" directive is duplicate");
                    }
                    expected = true;
                    if (d.argCount() == 1) {
                        literal = bytes(d, d.arg(0));
                    } else if (d.argCount() == 2 && (d.arg(0).equals("~") || d.arg(0).equals("~*"))) {
                        regex = regex(d, d.arg(1), d.arg(0).equals("~*"));
                    } else if (d.argCount() == 2) {
                        throw d.error("invalid operator \"%s\"", d.arg(0));
                    } else {
                        throw d.error("invalid number of arguments in \"expect\" directive");
                    }
                }
                default -> throw d.error("unknown directive \"%s\"", d.name());
            }
        }
        if (literal != null && literal.length == 0) {
            throw match.error("empty \"expect\" in match \"%s\"", match.arg(0));
        }
        return new StreamMatch(match.arg(0), send, literal, regex);
    }

    /** The text's bytes (UTF-8), with each {@code \xHH} one byte. */
    private static byte[] bytes(Directive d, String text) throws ConfigException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("\\x", i)) {
                if (i + 4 > text.length() || Character.digit(text.charAt(i + 2), 16) < 0
                        || Character.digit(text.charAt(i + 3), 16) < 0) {
                    throw d.error("invalid hexadecimal escape in \"%s\"", text);
                }
                out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 4;
            } else {
                int cp = text.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }

    private static Pattern regex(Directive d, String text, boolean caseless) throws ConfigException {
        try {
            return Pattern.compile(text, caseless ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw d.error("invalid regular expression \"%s\": %s", text, e.getDescription());
        }
    }
}
