package io.zonesync.http.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * How variable values are escaped in a log line ({@code log_format ... escape=}). Literal text of
 * the format is never escaped. Strings hold bytes as chars (ISO-8859-1), as request data does.
 */
public enum LogEscape {
    /** {@code "}, {@code \}, control bytes and bytes above 126 as {@code \xHH}; a missing value as {@code -}. */
    DEFAULT {
        @Override
        public void append(StringBuilder out, String value) {
            if (value == null) {
                out.append('-');
                return;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
                    hex(out, c);
                } else {
                    out.append(c);
                }
            }
        }
    },
    /** JSON string escaping; a missing value as nothing. */
    JSON {
        @Override
        public void append(StringBuilder out, String value) {
            if (value == null) {
                return;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
    },
    /** Values as they are; a missing value as {@code -}. */
    NONE {
        @Override
        public void append(StringBuilder out, String value) {
            out.append(value == null ? "-" : value);
        }
    };

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public abstract void append(StringBuilder out, String value);

    private static void hex(StringBuilder out, char c) {
        if (c > 0xff) {
            byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            for (byte b : utf8) {
                hex(out, (char) (b & 0xff));
            }
            return;
        }
        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }
}
