package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;

/**
 * What a feature sees while the http block compiles: the block (http, server or location) with its
 * enclosing blocks for nginx's inheritance ({@link Scope#effective}), the whole configuration (to
 * resolve relative paths against the prefix), and the configuration's variables.
 */
public final class CompileScope {
    private final Scope scope;
    private final Directive location;
    private final ParsedConfig config;
    private final VariableRegistry variables;

    CompileScope(Scope scope, Directive location, ParsedConfig config, VariableRegistry variables) {
        this.scope = scope;
        this.location = location;
        this.config = config;
        this.variables = variables;
    }

    /** The block and its parents; {@code scope().block()} is this level only. */
    public Scope scope() {
        return scope;
    }

    /** The {@code location} directive of this scope, or null at http and server level. */
    public Directive locationDirective() {
        return location;
    }

    public ParsedConfig config() {
        return config;
    }

    /**
     * The configuration's variables. Open for definitions during {@link HttpFeature#configureHttp},
     * for lookups afterwards.
     */
    public VariableRegistry variables() {
        return variables;
    }

    /** Compiles an argument of {@code d} with its variables; unknown ones fail with d's FILE:LINE. */
    public ComplexValue compile(Directive d, String text) throws ConfigException {
        return ComplexValue.compile(text, variables, d.where());
    }
}
