package io.zonesync.http.rewrite;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.RequestVariables;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.util.regex.PatternSyntaxException;

/**
 * The variables {@code set} declares, and the named groups of {@code rewrite} expressions: request
 * variables ({@link RequestVariables}) defined once for the whole configuration, as nginx does
 * whatever the level they appear at; {@code set $args} changes the query string itself.
 */
final class SetVariables {
    /** The built-in variable {@code set} may change: the query string. */
    private static final String ARGS = "args";
    private final VariableRegistry variables;

    SetVariables(VariableRegistry variables) {
        this.variables = variables;
    }

    /** Declares the variable of a {@code set $name value} directive. */
    void declare(Directive set) throws ConfigException {
        String name = name(set);
        if (name.equalsIgnoreCase(ARGS)) {
            return; // built in, and changeable
        }
        if (!RequestVariables.declare(variables, name)) {
            throw set.error("the duplicate \"%s\" variable", name);
        }
    }

    /**
     * Declares the named groups of a {@code rewrite}'s expression, so that directives anywhere may
     * use them, as in nginx; an invalid expression is reported when the rewrite is compiled.
     */
    void declareGroups(Directive rewrite) throws ConfigException {
        try {
            NginxRegex.compile(rewrite.arg(0), false).declareNames(rewrite, variables);
        } catch (PatternSyntaxException e) {
            // RewriteRule.compile says what is wrong with it, in nginx's words
        }
    }

    /** The step of a {@code set}: evaluates the value and keeps it for the rest of the request. */
    static RewriteHandler step(Directive set, ComplexValue value) throws ConfigException {
        String name = name(set);
        if (name.equalsIgnoreCase(ARGS)) {
            return ex -> {
                ex.setArgs(value.evaluate(ex));
                return RewriteHandler.Outcome.NEXT;
            };
        }
        return ex -> {
            RequestVariables.set(ex, name, value.evaluate(ex));
            return RewriteHandler.Outcome.NEXT;
        };
    }

    private static String name(Directive set) throws ConfigException {
        String arg = set.arg(0);
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw set.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }
}
