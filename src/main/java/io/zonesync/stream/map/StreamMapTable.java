package io.zonesync.stream.map;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.MapKeys;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.core.StreamVariables;
import java.util.ArrayList;
import java.util.List;
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
record StreamMapTable(StreamValue source, MapKeys<StreamValue> keys, List<Regex> regexes, StreamValue fallback) {

    record Regex(Pattern pattern, StreamValue value) {
    }

    static StreamMapTable compile(Directive map, StreamVariables variables) throws ConfigException {
        StreamValue source = StreamValue.compile(map.arg(0), variables, map.where());
        MapKeys<StreamValue> keys = new MapKeys<>();
        List<Regex> regexes = new ArrayList<>();
        StreamValue fallback = null;
        for (Directive e : map.block().directives()) {
            String key = e.name();
            if (e.argCount() == 0 && (key.equals("hostnames") || key.equals("volatile"))) {
                if (key.equals("hostnames")) {
                    keys.hostnames();
                }
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
            } else if (!keys.add(key, value)) {
                throw e.error("conflicting parameter \"%s\"", key);
            }
        }
        return new StreamMapTable(source, keys, regexes, fallback);
    }

    String lookup(StreamSession session) {
        String s = source.evaluate(session);
        StreamValue found = keys.find(s);
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
}
