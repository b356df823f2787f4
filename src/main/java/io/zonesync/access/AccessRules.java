package io.zonesync.access;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allow}/{@code deny} list of a scope (http or stream, server or location), as nginx's
 * access modules: the rules of the innermost level that has any, in the order written, checked
 * until the first match; no match allows. {@link #NONE} allows everything.
 */
public final class AccessRules {
    public static final AccessRules NONE = new AccessRules(List.of());

    private final List<AccessRule> rules;

    private AccessRules(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules in effect in {@code scope}: allow and deny inherit together, as one list. */
    public static AccessRules of(Scope scope) throws ConfigException {
        for (Scope s = scope; s != null; s = s.parent()) {
            List<AccessRule> here = new ArrayList<>();
            for (Directive d : s.block().directives()) {
                if (d.name().equals("allow") || d.name().equals("deny")) {
                    here.add(AccessRule.parse(d));
                }
            }
            if (!here.isEmpty()) {
                return new AccessRules(here);
            }
        }
        return NONE;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The first rule matching the client, or null when none does (and the client is allowed). */
    public AccessRule match(SocketAddress client) {
        for (AccessRule r : rules) {
            if (r.matches(client)) {
                return r;
            }
        }
        return null;
    }

    public boolean allows(SocketAddress client) {
        AccessRule r = match(client);
        return r == null || r.allow();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessRules other && describe().equals(other.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (AccessRule r : rules) {
            b.append(r.directive().name()).append(' ').append(r.directive().arg(0)).append(';');
        }
        return b.toString();
    }
}
