package io.zonesync.http.ssi;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * The text of SSI command parameters as nginx reads it: {@code $name} and {@code ${name}} replaced
 * by the variable's value (nothing when it is not found), a backslash before {@code \ ' " $} keeping
 * that character as it is (before any other, it stays); and the two encodings {@code echo} writes
 * values in. Stateless.
 */
final class SsiValues {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A parameter nginx cannot evaluate: the command fails with the error message. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private SsiValues() {
    }

    /**
     * {@code text} with its variables ({@code lookup} takes lower-case names and returns null for
     * not found) replaced and its escapes read; with {@code base} (a URI), a result that does not
     * start with {@code /} is taken relative to the directory of {@code base}.
     */
    static String evaluate(String text, Function<String, String> lookup, String base) throws Invalid {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int firstPart = -1;
        while (i < text.length()) {
            int partStart = out.length();
            if (text.charAt(i) == '$') {
                i++;
                boolean bracket = i < text.length() && text.charAt(i) == '{';
                if (bracket) {
                    i++;
                }
                if (i >= text.length()) {
                    throw new Invalid("invalid variable name in \"" + text + "\"");
                }
                int from = i;
                while (i < text.length() && isNameChar(text.charAt(i))) {
                    i++;
                }
                String name = text.substring(from, i);
                if (bracket) {
                    if (i >= text.length() || text.charAt(i) != '}') {
                        throw new Invalid("the closing bracket in \"" + name + "\" variable is missing");
                    }
                    i++;
                }
                if (name.isEmpty()) {
                    throw new Invalid("invalid variable name in \"" + text + "\"");
                }
                String value = lookup.apply(name.toLowerCase(Locale.ROOT));
                if (value != null) {
                    out.append(value);
                }
            } else {
                boolean quoted = false;
                for (; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (!quoted) {
                        if (c == '\\') {
                            quoted = true;
                            continue;
                        }
                        if (c == '$') {
                            break;
                        }
                    } else {
                        quoted = false;
                        if (c != '\\' && c != '\'' && c != '"' && c != '$') {
                            out.append('\\');
                        }
                    }
                    out.append(c);
                }
            }
            if (firstPart < 0 && out.length() > partStart) {
                firstPart = partStart;
            }
        }
        boolean relative = text.indexOf('$') < 0 ? !text.startsWith("/")
                : firstPart >= 0 && out.charAt(firstPart) != '/';
        if (base != null && relative) {
            int slash = base.lastIndexOf('/');
            if (slash >= 0) {
                out.insert(0, base, 0, slash + 1);
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** {@code encoding="entity"}: {@code < > & "} as HTML entities. */
    static String entity(String value) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String e = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (e != null && b == null) {
                b = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (b != null) {
                if (e != null) {
                    b.append(e);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? value : b.toString();
    }

    /**
     * {@code encoding="url"}: the bytes (UTF-8) that are not safe in a URL inside HTML as
     * {@code %XX}: controls, space, {@code " # % ' < > \ ^ `} braces, bar and all non-ASCII.
     */
    static String url(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 16);
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || "\"#%'<>\\^`{|}".indexOf(c) >= 0) {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
