package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.vars.ComplexValue;
import java.util.List;
import java.util.regex.Matcher;

/**
 * One rule of {@code proxy_redirect}, {@code proxy_cookie_domain} or {@code proxy_cookie_path}:
 * how a header value (from {@code start} on) is rewritten. A prefix rule replaces the part it
 * matches (case-sensitively); a domain rule matches the whole domain case-insensitively, a leading
 * dot of the value left in place; a regular expression, found anywhere, replaces the whole rest and
 * lends its captures to the replacement. Both sides may hold variables.
 */
sealed interface ValueRewrite {

    /** The rewritten value, or null when the rule does not match. */
    String apply(String value, int start, HttpExchange ex);

    record Prefix(ComplexValue from, ComplexValue to) implements ValueRewrite {
        @Override
        public String apply(String value, int start, HttpExchange ex) {
            String pattern = from.evaluate(ex);
            if (pattern == null || !value.startsWith(pattern, start)) {
                return null;
            }
            return value.substring(0, start) + to.evaluate(ex) + value.substring(start + pattern.length());
        }
    }

    record Domain(ComplexValue from, ComplexValue to) implements ValueRewrite {
        @Override
        public String apply(String value, int start, HttpExchange ex) {
            String pattern = from.evaluate(ex);
            int at = start < value.length() && value.charAt(start) == '.' ? start + 1 : start;
            if (pattern == null || value.length() - at != pattern.length()
                    || !value.regionMatches(true, at, pattern, 0, pattern.length())) {
                return null;
            }
            return value.substring(0, at) + to.evaluate(ex);
        }
    }

    record Regex(NginxRegex regex, ComplexValue to) implements ValueRewrite {
        @Override
        public String apply(String value, int start, HttpExchange ex) {
            Matcher m = regex.matcher(value.substring(start));
            if (!m.find()) {
                return null;
            }
            ex.captures(regex.captures(m));
            return value.substring(0, start) + to.evaluate(ex);
        }
    }

    /** The first rule's result that matches, or null. */
    static String first(List<ValueRewrite> rules, String value, int start, HttpExchange ex) {
        for (ValueRewrite r : rules) {
            String out = r.apply(value, start, ex);
            if (out != null) {
                return out;
            }
        }
        return null;
    }

    /**
     * A two-argument rule as nginx reads it: {@code ~} (case-sensitive) or {@code ~*} (not) for a
     * regular expression, else a prefix ({@code domain}: a domain, a leading dot of either side
     * dropped, and {@code ~} alone, caseless, for a regular expression).
     */
    static ValueRewrite compile(CompileScope cs, Directive d, boolean domain) throws ConfigException {
        String from = d.arg(0);
        String to = d.arg(1);
        if (from.startsWith("~")) {
            String source = from.substring(1);
            boolean caseless = domain;
            if (!domain && source.startsWith("*")) {
                source = source.substring(1);
                caseless = true;
            }
            NginxRegex re = NginxRegex.compile(d, source, caseless, cs.variables(), "");
            return new Regex(re, cs.compile(d, to));
        }
        if (domain) {
            return new Domain(cs.compile(d, stripDot(from)), cs.compile(d, stripDot(to)));
        }
        return new Prefix(cs.compile(d, from), cs.compile(d, to));
    }

    private static String stripDot(String s) {
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
