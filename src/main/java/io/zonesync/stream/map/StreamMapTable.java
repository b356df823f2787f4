package io.zonesync.stream.map;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.core.StreamVariables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled stream {@code map} block, searched as nginx searches it: the exact key
 * (case-insensitive), then with {@code hostnames} the longest leading wildcard
 * ({@code *.example.com}, {@code .example.com}) and the longest trailing one ({@code www.example.*}),
 * then the regular expressions in order ({@code ~} case-sensitive, {@code ~*} not), then
 * {@code default} (empty without one). Values may hold variables; regular expression captures are
 * not variables in stream (a {@code $1} is refused as an unknown variable). Immutable.
 */
record StreamMapTable(StreamValue source, Map<String, StreamValue> exact, List<Wildcard> leading,
        List<Wildcard> trailing, List<Regex> regexes, StreamValue fallback, boolean hostnames) {

    record Wildcard(String part, boolean alsoBare, StreamValue value) {
    }

    record Regex(Pattern pattern, StreamValue value) {
    }

    static StreamMapTable compile(Directive map, StreamVariables variables) throws ConfigException {
        StreamValue source = StreamValue.compile(map.arg(0), variables, map.where());
        Map<String, StreamValue> exact = new HashMap<>();
        List<Wildcard> leading = new ArrayList<>();
        List<Wildcard> trailing = new ArrayList<>();
        List<Regex> regexes = new ArrayList<>();
        StreamValue fallback = null;
        boolean hostnames = false;
        for (Directive e : map.block().directives()) {
            String key = e.name();
            if (e.argCount() == 0 && (key.equals("hostnames") || key.equals("volatile"))) {
                hostnames |= key.equals("hostnames");
                continue;
            }
            if (e.argCount() != 1) {
                throw e.error("invalid number of the map parameters");
            }
            StreamValue value = StreamValue.compile(e.arg(0), variables, e.where());
            if (key.equals("default")) {
                if (fallback != null) {
                    throw e.error("duplicate default map parameter");
                }
                fallback = value;
            } else if (key.startsWith("~")) {
                boolean caseless = key.startsWith("~*");
                String regex = key.substring(caseless ? 2 : 1);
                try {
                    regexes.add(new Regex(Pattern.compile(regex, caseless ? Pattern.CASE_INSENSITIVE : 0), value));
                } catch (PatternSyntaxException x) {
                    throw e.error("pcre_compile() failed: %s in \"%s\"", x.getDescription(), regex);
                }
            } else {
                String k = (key.startsWith("\\") ? key.substring(1) : key).toLowerCase(Locale.ROOT);
                if (hostnames && (k.startsWith("*.") || k.startsWith("."))) {
                    leading.add(new Wildcard(k.substring(k.indexOf('.')), k.startsWith("."), value));
                } else if (hostnames && k.endsWith(".*")) {
                    trailing.add(new Wildcard(k.substring(0, k.length() - 1), false, value));
                } else if (exact.putIfAbsent(k, value) != null) {
                    throw e.error("conflicting parameter \"%s\"", key);
                }
            }
        }
        return new StreamMapTable(source, exact, leading, trailing, regexes, fallback, hostnames);
    }

    String lookup(StreamSession session) {
        String s = source.evaluate(session);
        String key = s.toLowerCase(Locale.ROOT);
        if (hostnames && key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        StreamValue found = exact.get(key);
        if (found == null && hostnames) {
            found = longest(leading, key, true);
            if (found == null) {
                found = longest(trailing, key, false);
            }
        }
        if (found == null) {
            for (Regex r : regexes) {
                if (r.pattern().matcher(s).find()) {
                    found = r.value();
                    break;
                }
            }
        }
        if (found == null) {
            return fallback == null ? "" : fallback.evaluate(session);
        }
        return found.evaluate(session);
    }

    private static StreamValue longest(List<Wildcard> wildcards, String key, boolean suffix) {
        Wildcard best = null;
        for (Wildcard w : wildcards) {
            boolean match = suffix ? key.endsWith(w.part()) || (w.alsoBare() && key.equals(w.part().substring(1)))
                    : key.startsWith(w.part());
            if (match && (best == null || w.part().length() > best.part().length())) {
                best = w;
            }
        }
        return best == null ? null : best.value();
    }
}
