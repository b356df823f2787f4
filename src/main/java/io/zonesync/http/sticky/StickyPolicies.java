package io.zonesync.http.sticky;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.upstream.StickyPolicy;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds an upstream's {@link StickyPolicy} from its {@code sticky} line once the variables are known. */
public final class StickyPolicies {
    private StickyPolicies() {
    }

    /**
     * @param zones the learn zones of this configuration by name (from the node's zone table)
     */
    public static StickyPolicy create(StickySpec spec, VariableRegistry vars, Map<String, SessionZone> zones)
            throws ConfigException {
        Directive d = spec.directive();
        if (spec instanceof StickySpec.Learn l) {
            SessionZone zone = zones.get(l.zone());
            if (zone == null) {
                throw d.error("sticky zone \"%s\" was not prepared", l.zone());
            }
            return new LearnPolicy(resolve(d, vars, l.create()), resolve(d, vars, l.lookup()), zone, l.header());
        }
        if (spec instanceof StickySpec.Cookie c) {
            Variable lookup = resolve(d, vars, List.of("cookie_" + c.name())).get(0);
            ComplexValue domain = c.domain() == null ? null : ComplexValue.compile(c.domain(), vars, d.where());
            ComplexValue sameSite = c.sameSite() == null ? null : ComplexValue.compile(c.sameSite(), vars, d.where());
            return new CookiePolicy(c, lookup, domain, sameSite);
        }
        StickySpec.Route r = (StickySpec.Route) spec;
        List<Variable> routes = resolve(d, vars, r.variables());
        return request -> {
            String route = firstNonEmpty(routes, request);
            return () -> route;
        };
    }

    private static List<Variable> resolve(Directive d, VariableRegistry vars, List<String> names)
            throws ConfigException {
        List<Variable> out = new ArrayList<>();
        for (String n : names) {
            Variable v = vars.lookup(n);
            if (v == null) {
                throw d.error("unknown \"%s\" variable", n);
            }
            out.add(v);
        }
        return out;
    }

    /** nginx's rule for lookup, create and route variables: the first one with a non-empty value. */
    static String firstNonEmpty(List<Variable> vars, RequestView request) {
        for (Variable v : vars) {
            String value = v.value(request);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
