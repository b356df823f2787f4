package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy_redirect}: how the {@code Location} and {@code Refresh} (after its {@code url=}) of an
 * upstream's response are rewritten before they reach the client, so a backend that names itself
 * does not leak that name. Rules ({@link ValueRewrite}: prefixes, compared case-sensitively as
 * nginx does, or regular expressions, with variables on either side) are tried in order and the
 * first that matches wins. As in nginx the default is {@code default}: the {@code proxy_pass} URL
 * becomes the location's prefix, or, without a URI part, {@code URL/} becomes {@code /}; a Location
 * then starting with {@code /} is made absolute by {@code absolute_redirect} like any other.
 */
record RedirectRewrite(List<ValueRewrite> rules) {

    /**
     * The rules in force in this location for {@code proxy_pass url}, {@code uriPart} its URI
     * (null when it has none), in a location whose prefix is {@code locationPrefix}.
     */
    static RedirectRewrite compile(CompileScope cs, Directive pass, String uriPart, String locationPrefix)
            throws ConfigException {
        String url = pass.arg(0);
        ValueRewrite standard = uriPart == null
                ? new ValueRewrite.Prefix(ComplexValue.constant(url + "/"), ComplexValue.constant("/"))
                : new ValueRewrite.Prefix(ComplexValue.constant(url), ComplexValue.constant(locationPrefix));
        List<Directive> directives = cs.scope().effective("proxy_redirect");
        if (directives.isEmpty()) {
            return new RedirectRewrite(List.of(standard));
        }
        List<ValueRewrite> rules = new ArrayList<>();
        boolean off = false;
        for (Directive d : directives) {
            if (off) {
                throw d.error("\"proxy_redirect\" directive is duplicate");
            }
            if (d.argCount() == 1) {
                switch (d.arg(0)) {
                    case "off" -> {
                        if (!rules.isEmpty()) {
                            throw d.error("\"proxy_redirect\" directive is duplicate");
                        }
                        off = true;
                    }
                    case "default" -> {
                        List<Directive> here = cs.scope().block().directives();
                        if (!here.contains(d) || here.indexOf(pass) > here.indexOf(d)) {
                            throw d.error("\"proxy_redirect default\" should be placed after the \"proxy_pass\""
                                    + " directive");
                        }
                        rules.add(standard);
                    }
                    default -> throw d.error("invalid parameter \"%s\"", d.arg(0));
                }
                continue;
            }
            rules.add(ValueRewrite.compile(cs, d, false));
        }
        return new RedirectRewrite(List.copyOf(rules));
    }

    /** The Location to send to the client. */
    String location(String location, HttpExchange ex) {
        String out = ValueRewrite.first(rules, location, 0, ex);
        return out == null ? location : out;
    }

    /** The Refresh to send to the client: the part after {@code url=} (any case) is a Location. */
    String refresh(String refresh, HttpExchange ex) {
        int at = indexOfIgnoreCase(refresh, "url=");
        if (at < 0) {
            return refresh;
        }
        String out = ValueRewrite.first(rules, refresh, at + 4, ex);
        return out == null ? refresh : out;
    }

    private static int indexOfIgnoreCase(String s, String what) {
        for (int i = 0; i + what.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }
}
