package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy_redirect}: how the {@code Location} of an upstream's response is rewritten before it
 * reaches the client, so a backend that names itself (by the upstream's name, which it sees in
 * {@code Host}, or by its address) does not leak that name. Rules are prefixes tried in order; the
 * first that matches (case-insensitively, as the scheme and host are) is replaced. As in nginx the
 * default is {@code default}: the {@code proxy_pass} URL becomes the location's prefix, or, without
 * a URI part, {@code http://host/} becomes {@code /}; a Location then starting with {@code /} is made
 * absolute by {@code absolute_redirect} like any other. Regular expressions and variables in the
 * rules are not supported.
 */
record RedirectRewrite(List<Rule> rules) {

    record Rule(String from, String to) {
    }

    /**
     * The rules in force in this scope for {@code proxy_pass http://hostPort[uriPart]} in a location
     * whose prefix is {@code locationPrefix}.
     */
    static RedirectRewrite compile(Scope scope, String hostPort, String uriPart, String locationPrefix)
            throws ConfigException {
        Rule standard = uriPart == null ? new Rule("http://" + hostPort + "/", "/")
                : new Rule("http://" + hostPort + uriPart, locationPrefix);
        List<Directive> directives = scope.effective("proxy_redirect");
        if (directives.isEmpty()) {
            return new RedirectRewrite(List.of(standard));
        }
        List<Rule> rules = new ArrayList<>();
        for (Directive d : directives) {
            if (d.argCount() == 1) {
                switch (d.arg(0)) {
                    case "off" -> {
                        if (directives.size() > 1) {
                            throw d.error("invalid parameter \"off\", it cannot be combined with other"
                                    + " \"proxy_redirect\" directives on the same level");
                        }
                    }
                    case "default" -> rules.add(standard);
                    default -> throw d.error("invalid parameter \"%s\"", d.arg(0));
                }
                continue;
            }
            String from = d.arg(0);
            String to = d.arg(1);
            if (from.startsWith("~") || from.indexOf('$') >= 0 || to.indexOf('$') >= 0) {
                throw d.error("regular expressions and variables in \"proxy_redirect\" are not supported");
            }
            rules.add(new Rule(from, to));
        }
        return new RedirectRewrite(List.copyOf(rules));
    }

    /** The Location to send to the client. */
    String apply(String location) {
        for (Rule r : rules) {
            if (location.regionMatches(true, 0, r.from(), 0, r.from().length())) {
                return r.to() + location.substring(r.from().length());
            }
        }
        return location;
    }
}
