package io.zonesync.http.map;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
record MapTable(ComplexValue source, Map<String, ComplexValue> exact, List<Wildcard> leading,
        List<Wildcard> trailing, List<Regex> regexes, ComplexValue fallback, boolean hostnames) {

    /** A wildcard key without its star: the suffix {@code .example.com} or the prefix {@code www.example.}. */
    record Wildcard(String part, boolean alsoBare, ComplexValue value) {
    }

    record Regex(NginxRegex regex, ComplexValue value) {
    }

    static MapTable compile(Directive map, VariableRegistry variables) throws ConfigException {
        ComplexValue source = ComplexValue.compile(map.arg(0), variables, map.where());
        Map<String, ComplexValue> exact = new HashMap<>();
        List<Wildcard> leading = new ArrayList<>();
        List<Wildcard> trailing = new ArrayList<>();
        List<Regex> regexes = new ArrayList<>();
        ComplexValue fallback = null;
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
        return new MapTable(source, exact, leading, trailing, regexes, fallback, hostnames);
    }

    String lookup(RequestView request) {
        String s = source.evaluate(request);
        String key = s.toLowerCase(Locale.ROOT);
        if (hostnames && key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        ComplexValue found = exact.get(key);
        if (found == null && hostnames) {
            found = longest(leading, key, true);
            if (found == null) {
                found = longest(trailing, key, false);
            }
        }
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

    private static ComplexValue longest(List<Wildcard> wildcards, String key, boolean suffix) {
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
