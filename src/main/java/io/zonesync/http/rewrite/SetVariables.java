package io.zonesync.http.rewrite;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The variables {@code set} declares: defined once for the whole configuration (as nginx does,
 * whatever the level of the {@code set}), their values kept per request. A variable never set in
 * a request is empty.
 */
final class SetVariables {
    private static final AttributeKey<Map<String, String>> VALUES = AttributeKey.named("set variables");

    private final VariableRegistry variables;
    private final Set<String> declared = new HashSet<>();

    SetVariables(VariableRegistry variables) {
        this.variables = variables;
    }

    /** Declares the variable of a {@code set $name value} directive. */
    void declare(Directive set) throws ConfigException {
        String name = name(set);
        if (declared.contains(name)) {
            return;
        }
        if (variables.isDefined(name)) {
            throw set.error("the duplicate \"%s\" variable", name);
        }
        declared.add(name);
        variables.define(name, request -> {
            Map<String, String> values = request.attribute(VALUES);
            return values == null ? null : values.get(name);
        });
    }

    /** The step of a {@code set}: evaluates the value and keeps it for the rest of the request. */
    static RewriteHandler step(Directive set, ComplexValue value) throws ConfigException {
        String name = name(set);
        return ex -> {
            String v = value.evaluate(ex);
            store(ex).put(name, v);
            return RewriteHandler.Outcome.NEXT;
        };
    }

    private static Map<String, String> store(HttpExchange ex) {
        Map<String, String> values = ex.attribute(VALUES);
        if (values == null) {
            values = new HashMap<>();
            ex.setAttribute(VALUES, values);
        }
        return values;
    }

    private static String name(Directive set) throws ConfigException {
        String arg = set.arg(0);
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw set.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }
}
