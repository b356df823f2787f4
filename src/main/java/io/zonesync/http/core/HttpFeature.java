package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;

/**
 * An http module's part in requests, compiled per configuration: what it adds to each phase of
 * nginx's request processing (rewrite, access, content, header filters). The module's directives
 * are its {@link io.zonesync.config.ConfModule}; the node registers both with one line.
 * {@link HttpConfigCompiler} calls, per configuration:
 * <ol>
 * <li>{@link #defineVariables} of every module, first;</li>
 * <li>{@link #configureHttp} once, with the http block, before any server is compiled: declare
 *     zones and define variables ({@code keyval $arg_key $value zone=one}) on
 *     {@link CompileScope#variables()}, so every later directive can use them;</li>
 * <li>for every server (its server-level settings) and every location, in configuration order,
 *     {@link #rewriteHandlers}, {@link #accessHandlers}, {@link #contentHandler} and
 *     {@link #headerFilters}.</li>
 * </ol>
 * Errors are {@link ConfigException}s with FILE:LINE ({@link io.zonesync.config.Directive#error}).
 * A reload compiles into a new configuration; state that must survive it (zone contents) belongs
 * to the feature object, which the node keeps across reloads.
 */
public interface HttpFeature {

    /**
     * The variables this module provides ({@code $upstream_addr}), defined before any directive is
     * compiled, as nginx's modules add theirs in its preconfiguration step.
     */
    default void defineVariables(VariableRegistry variables) {
    }

    default void configureHttp(CompileScope http) throws ConfigException {
    }

    /**
     * After every module's {@link #configureHttp}: compile what may use any module's variables
     * ({@code map}), as nginx's postconfiguration step does.
     */
    default void finishHttp(CompileScope http) throws ConfigException {
    }

    /**
     * The rewrite-phase steps of this level: a server's ({@code location.locationDirective()} is
     * null) run before the location is looked up, a location's after. Rewrite directives are not
     * inherited in nginx, so look at {@code scope().block()}.
     */
    default List<RewriteHandler> rewriteHandlers(CompileScope level) throws ConfigException {
        return List.of();
    }

    /**
     * The content handler of this location, or null to leave it to the next module (static files,
     * registered last, take every location left). Content handlers are not inherited by nested locations in nginx, so look at
     * {@code location.scope().block()} (this level), not {@code effective()}.
     */
    default ContentHandler contentHandler(CompileScope location) throws ConfigException {
        return null;
    }

    /**
     * The access-phase handlers of this location (usually from inherited directives:
     * {@code location.scope().effective("limit_req")}).
     */
    default List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        return List.of();
    }

    /** The header filters of this location (usually from inherited directives: {@code add_header}). */
    default List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        return List.of();
    }

    /**
     * The log-phase handlers of this level: a server's ({@code location.locationDirective()} is
     * null) see every request of the server, a location's the requests that end there.
     */
    default List<LogHandler> logHandlers(CompileScope level) throws ConfigException {
        return List.of();
    }
}
