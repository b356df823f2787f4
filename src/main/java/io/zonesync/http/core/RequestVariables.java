package io.zonesync.http.core;

import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;
import io.zonesync.http.vars.VariableRegistry;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's changeable variables: those a request sets as it runs ({@code set}, the named groups of
 * regular expressions), declared once for the whole configuration whatever the level they appear
 * at, valued per request. Read before a request set it, one is not found (empty) and, unless
 * {@code uninitialized_variable_warn off} said otherwise for the request, the read is logged at
 * warn as nginx logs it.
 */
public final class RequestVariables {
    private static final Logger LOG = LoggerFactory.getLogger(RequestVariables.class);
    private static final AttributeKey<Map<String, String>> VALUES = AttributeKey.named("request variables");
    private static final AttributeKey<Boolean> QUIET = AttributeKey.named("uninitialized variables not logged");

    private RequestVariables() {
    }

    /**
     * Declares {@code $name}; false when the name belongs to another kind of variable (built in, or
     * a module's), which nginx reports as a duplicate.
     */
    public static boolean declare(VariableRegistry variables, String name) {
        if (variables.isDefined(name)) {
            return variables.lookup(name) instanceof Stored;
        }
        variables.define(name, new Stored(name, null));
        return true;
    }

    /**
     * Declares {@code $name} as a module's changeable variable: {@code set} may set it, and
     * {@code reader} says what it reads (from {@link #valueSet} and the module's own state:
     * {@code $limit_rate}, the rate in force as a number of bytes).
     */
    public static void declare(VariableRegistry variables, String name, Variable reader) {
        variables.define(name, new Stored(name, reader));
    }

    /** The value the request set for {@code $name}, or null when it set none. */
    public static String valueSet(RequestView request, String name) {
        Map<String, String> values = request.attribute(VALUES);
        return values == null ? null : values.get(name);
    }

    /** Sets {@code $name} for the rest of the request. */
    public static void set(HttpExchange ex, String name, String value) {
        Map<String, String> values = ex.attribute(VALUES);
        if (values == null) {
            values = new HashMap<>();
            ex.setAttribute(VALUES, values);
        }
        values.put(name, value);
    }

    /** Makes {@code sub} see and set the same variables as {@code parent}, as nginx's subrequests do. */
    static void share(HttpExchange parent, HttpExchange sub) {
        Map<String, String> values = parent.attribute(VALUES);
        if (values == null) {
            values = new HashMap<>();
            parent.setAttribute(VALUES, values);
        }
        sub.setAttribute(VALUES, values);
        sub.setAttribute(QUIET, parent.attribute(QUIET));
    }

    /** Whether reads of unset variables are logged for the rest of the request ({@code uninitialized_variable_warn}). */
    public static void warnUninitialized(HttpExchange ex, boolean warn) {
        ex.setAttribute(QUIET, warn ? null : Boolean.TRUE);
    }

    /** A declared variable: its value in the request, if the request set one; or as its module reads it. */
    private record Stored(String name, Variable reader) implements Variable {
        @Override
        public String value(RequestView request) {
            if (reader != null) {
                return reader.value(request);
            }
            Map<String, String> values = request.attribute(VALUES);
            if (values != null && values.containsKey(name)) {
                return values.get(name);
            }
            if (request.attribute(QUIET) == null) {
                LOG.warn(request.errorLog(), "using uninitialized \"{}\" variable", name);
            }
            return null;
        }
    }
}
