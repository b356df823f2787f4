package io.zonesync.http.map;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.MapKeys;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled {@code map} block, searched as nginx searches it: the exact key (case-insensitive),
 * then with {@code hostnames} the longest leading wildcard ({@code *.example.com},
 * {@code .example.com}) and the longest trailing one ({@code www.example.*}), then the regular
 * expressions in order ({@code ~} case-sensitive, {@code ~*} not; their captures become {@code $1}...
 * for the value), then {@code default} (empty without one). Values may hold variables.
 * {@code volatile} is accepted: nothing is cached here anyway.
 */
record MapTable(ComplexValue source, MapKeys<ComplexValue> keys, List<Regex> regexes, ComplexValue fallback) {

    record Regex(NginxRegex regex, ComplexValue value) {
    }

    static MapTable compile(Directive map, VariableRegistry variables) throws ConfigException {
        ComplexValue source = ComplexValue.compile(map.arg(0), variables, map.where());
        MapKeys<ComplexValue> keys = new MapKeys<>();
        List<Regex> regexes = new ArrayList<>();
        ComplexValue fallback = null;
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
            NginxRegex re = null;
            if (key.startsWith("~")) { // first: its named groups may be used in the value
                boolean caseless = key.startsWith("~*");
                String regex = key.substring(caseless ? 2 : 1);
                try {
                    re = NginxRegex.compile(regex, caseless);
                } catch (PatternSyntaxException x) {
                    throw e.error("pcre_compile() failed: %s in \"%s\"", x.getDescription(), regex);
                }
                re.declareNames(e, variables);
            }
            ComplexValue value = ComplexValue.compile(e.arg(0), variables, e.where());
            if (key.equals("default")) {
                if (fallback != null) {
                    throw e.error("duplicate default map parameter");
                }
                fallback = value;
            } else if (re != null) {
                regexes.add(new Regex(re, value));
            } else if (!keys.add(key, value)) {
                throw e.error("conflicting parameter \"%s\"", key);
            }
        }
        return new MapTable(source, keys, regexes, fallback);
    }

    String lookup(RequestView request) {
        String s = source.evaluate(request);
        ComplexValue found = keys.find(s);
        if (found == null) {
            for (Regex r : regexes) {
                Matcher m = r.regex().matcher(s);
                if (m.find()) {
                    if (request instanceof HttpExchange ex) {
                        ex.captures(r.regex().captures(m));
                    }
                    found = r.value();
                    break;
                }
            }
        }
        if (found == null) {
            return fallback == null ? "" : fallback.evaluate(request);
        }
        return found.evaluate(request);
    }
}
