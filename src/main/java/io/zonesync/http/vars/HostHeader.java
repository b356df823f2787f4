package io.zonesync.http.vars;

import java.util.Locale;

/** The host part of a Host header as nginx validates and normalises it. */
public final class HostHeader {
    private HostHeader() {
    }

    /**
     * The host lower-cased, without port or trailing dot; null when the header is not a valid host
     * (nginx answers such a request 400). {@code [v6]} literals keep their brackets.
     */
    public static String validate(String header) {
        String h = header.trim();
        if (h.isEmpty()) {
            return null;
        }
        int end = h.length();
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 0) {
                return null;
            }
            if (close + 1 < h.length() && !validPort(h, close + 1)) {
                return null;
            }
            return h.substring(0, close + 1).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!validPort(h, colon)) {
                return null;
            }
            end = colon;
        }
        for (int i = 0; i < end; i++) {
            char c = h.charAt(i);
            if (c == '/' || c == '\\' || c == '\0' || c <= ' ' || c >= 127) {
                return null;
            }
            if (c == '.' && i > 0 && h.charAt(i - 1) == '.') {
                return null;
            }
        }
        if (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return null;
        }
        return h.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** {@link #validate}, or the header as it is when it is not valid. */
    public static String normalize(String header) {
        String v = validate(header);
        return v == null ? header : v;
    }

    private static boolean validPort(String h, int colon) {
        if (h.charAt(colon) != ':') {
            return false;
        }
        for (int i = colon + 1; i < h.length(); i++) {
            if (!Character.isDigit(h.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
