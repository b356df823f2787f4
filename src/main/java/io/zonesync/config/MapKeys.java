package io.zonesync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The literal keys of an nginx {@code map} block, http's or stream's, searched as nginx searches
 * them: the exact key without regard to case, then with {@code hostnames} the longest leading
 * wildcard ({@code *.example.com}; {@code .example.com} also matches the bare name) and the longest
 * trailing one ({@code www.example.*}). A key's leading backslash only escapes it. Filled while the
 * block compiles, read-only afterwards.
 *
 * @param <V> what a key maps to
 */
public final class MapKeys<V> {
    /** A wildcard key without its star: the suffix {@code .example.com} or the prefix {@code www.example.}. */
    private record Wildcard<V>(String part, boolean alsoBare, V value) {
    }

    private final Map<String, V> exact = new HashMap<>();
    private final List<Wildcard<V>> leading = new ArrayList<>();
    private final List<Wildcard<V>> trailing = new ArrayList<>();
    private boolean hostnames;

    /** {@code hostnames}: the keys added from now on may be wildcard names, and lookups strip a final dot. */
    public void hostnames() {
        hostnames = true;
    }

    /** Adds a key as written; false when that exact key is there already (nginx's "conflicting parameter"). */
    public boolean add(String key, V value) {
        String k = (key.startsWith("\\") ? key.substring(1) : key).toLowerCase(Locale.ROOT);
        if (hostnames && (k.startsWith("*.") || k.startsWith("."))) {
            leading.add(new Wildcard<>(k.substring(k.indexOf('.')), k.startsWith("."), value));
        } else if (hostnames && k.endsWith(".*")) {
            trailing.add(new Wildcard<>(k.substring(0, k.length() - 1), false, value));
        } else {
            return exact.putIfAbsent(k, value) == null;
        }
        return true;
    }

    /** The value of the source value's exact or wildcard key, or null. */
    public V find(String source) {
        String key = source.toLowerCase(Locale.ROOT);
        if (hostnames && key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        V found = exact.get(key);
        if (found == null && hostnames) {
            found = longest(leading, key, true);
            if (found == null) {
                found = longest(trailing, key, false);
            }
        }
        return found;
    }

    private static <V> V longest(List<Wildcard<V>> wildcards, String key, boolean suffix) {
        Wildcard<V> best = null;
        for (Wildcard<V> w : wildcards) {
            boolean match = suffix ? key.endsWith(w.part()) || (w.alsoBare() && key.equals(w.part().substring(1)))
                    : key.startsWith(w.part());
            if (match && (best == null || w.part().length() > best.part().length())) {
                best = w;
            }
        }
        return best == null ? null : best.value();
    }
}
