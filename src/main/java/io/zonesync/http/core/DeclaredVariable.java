package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;

/**
 * The variable a block directive defines ({@code map}, {@code geo}, {@code split_clients}):
 * declared in {@link HttpFeature#configureHttp}, before any directive is compiled, and given its
 * value in {@link HttpFeature#finishHttp}, once every module's variables exist, so either side of
 * such a block may use any variable, as in nginx.
 */
public final class DeclaredVariable implements Variable {
    private volatile Variable value;

    private DeclaredVariable() {
    }

    /** Declares the variable {@code $name} written as argument {@code arg} of {@code d}. */
    public static void declare(CompileScope http, Directive d, String arg) throws ConfigException {
        String name = name(d, arg);
        if (http.variables().isDefined(name)) {
            throw d.error("the duplicate \"%s\" variable", name);
        }
        http.variables().define(name, new DeclaredVariable());
    }

    /** Gives the variable declared by {@code d} its value. */
    public static void define(CompileScope http, Directive d, String arg, Variable value) throws ConfigException {
        ((DeclaredVariable) http.variables().lookup(name(d, arg))).value = value;
    }

    private static String name(Directive d, String arg) throws ConfigException {
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }

    @Override
    public String value(RequestView request) {
        Variable v = value;
        return v == null ? null : v.value(request);
    }
}
