package io.zonesync.http.core;

import java.util.List;
import java.util.regex.Matcher;

/**
 * The captures of a regular expression match as nginx keeps them for {@code $0}..{@code $9}: the
 * whole match first, then each group, a group that took no part as empty; with the name of each
 * named group ({@link NginxRegex}), null for the others.
 */
public record Captures(String[] groups, List<String> names) {

    /** The captures of a match of an expression without names. */
    public static Captures of(Matcher m) {
        return of(m, List.of());
    }

    static Captures of(Matcher m, List<String> names) {
        String[] out = new String[m.groupCount() + 1];
        for (int i = 0; i < out.length; i++) {
            String g = m.group(i);
            out[i] = g == null ? "" : g;
        }
        return new Captures(out, names);
    }

    /** Sets each named group's variable ({@link RequestVariables}) for the rest of the request. */
    void setNamed(HttpExchange ex) {
        for (int i = 1; i < names.size() && i < groups.length; i++) {
            String name = names.get(i);
            if (name != null) {
                RequestVariables.set(ex, name, groups[i]);
            }
        }
    }
}
