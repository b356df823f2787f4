package io.zonesync.http.proxy;

import java.util.Collection;
import java.util.Locale;

/**
 * A fixed set of header names, matched regardless of ASCII case and without allocating (header
 * names are ASCII tokens). Lower-casing every header name of every proxied request and response
 * to look it up was a measurable part of a request.
 */
final class HeaderNameSet {
    private final String[] names;

    HeaderNameSet(Collection<String> names) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
    }

    boolean contains(CharSequence name) {
        for (String candidate : names) {
            if (equalsIgnoringAsciiCase(candidate, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} starts with {@code lowerPrefix} regardless of ASCII case. */
    static boolean startsWithIgnoringAsciiCase(CharSequence name, String lowerPrefix) {
        return name.length() >= lowerPrefix.length() && regionEquals(lowerPrefix, name, lowerPrefix.length());
    }

    private static boolean equalsIgnoringAsciiCase(String lower, CharSequence name) {
        return lower.length() == name.length() && regionEquals(lower, name, lower.length());
    }

    private static boolean regionEquals(String lower, CharSequence name, int length) {
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
