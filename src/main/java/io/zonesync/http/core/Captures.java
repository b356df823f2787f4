package io.zonesync.http.core;

import java.util.regex.Matcher;

/**
 * The captures of a regular expression match as nginx keeps them for {@code $0}..{@code $9}: the
 * whole match first, then each group, a group that took no part as empty.
 */
public final class Captures {
    private Captures() {
    }

    public static String[] of(Matcher m) {
        String[] out = new String[m.groupCount() + 1];
        for (int i = 0; i < out.length; i++) {
            String g = m.group(i);
            out[i] = g == null ? "" : g;
        }
        return out;
    }
}
