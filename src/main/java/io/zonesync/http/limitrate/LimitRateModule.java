package io.zonesync.http.limitrate;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.RequestVariables;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;
import java.util.Locale;

/**
 * nginx's {@code limit_rate} and {@code limit_rate_after} (core directives in nginx; both may hold
 * variables) and the changeable {@code $limit_rate}: when a response starts, the rate the request
 * set in {@code $limit_rate}, else the location's {@code limit_rate}, paces it through
 * {@link HttpExchange#limitRate}. {@code $limit_rate} reads the rate in force, 0 before one is.
 */
public final class LimitRateModule implements ConfModule, HttpFeature {
    private static final String VARIABLE = "limit_rate";
    private static final AttributeKey<Long> APPLIED = AttributeKey.named("limit_rate applied");

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("limit_rate", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("limit_rate_after", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        RequestVariables.declare(variables, VARIABLE, req -> {
            Long applied = req.attribute(APPLIED);
            if (applied != null) {
                return Long.toString(applied);
            }
            String set = RequestVariables.valueSet(req, VARIABLE);
            return set == null ? "0" : Long.toString(Math.max(0, size(set)));
        });
    }

    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        ComplexValue rate = compile(location, "limit_rate");
        ComplexValue after = compile(location, "limit_rate_after");
        return List.of(new Pace(rate, after));
    }

    private static ComplexValue compile(CompileScope location, String name) throws ConfigException {
        Directive d = location.scope().effectiveFirst(name);
        if (d == null) {
            return null;
        }
        ComplexValue v = location.compile(d, d.arg(0));
        if (!ComplexValue.hasVariables(d.arg(0)) && size(d.arg(0)) < 0) {
            throw d.error("\"%s\" directive invalid value", name);
        }
        return v;
    }

    /** The location's pacing, decided when a response starts. */
    private record Pace(ComplexValue rate, ComplexValue after) implements HeaderFilter {
        @Override
        public void filter(int status, HttpHeaders headers, HttpExchange ex) {
            String set = RequestVariables.valueSet(ex, VARIABLE);
            if (set == null && rate == null) {
                return; // the common case, on every response: no rate anywhere
            }
            long r = size(set != null ? set : rate.evaluate(ex));
            if (r <= 0) {
                return;
            }
            long a = after == null ? 0 : Math.max(0, size(after.evaluate(ex)));
            ex.setAttribute(APPLIED, r);
            ex.limitRate(r, a);
        }
    }

    /** nginx's size: a number of bytes, with k or m; -1 when not one. */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024;
        } else if (t.endsWith("m")) {
            unit = 1024 * 1024;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits) * unit;
    }
}
