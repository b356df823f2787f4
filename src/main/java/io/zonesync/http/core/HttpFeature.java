package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import java.util.List;

/**
 * A feature package's part in compiling the http block (api, keyval, proxy, limit_req, sticky).
 * The same object usually also implements {@link io.zonesync.config.ConfModule} for its
 * directives. {@link HttpConfigCompiler} calls, per configuration:
 * <ol>
 * <li>{@link #configureHttp} once, with the http block, before any server is compiled: declare
 *     zones and define variables ({@code keyval $arg_key $value zone=one}) on
 *     {@link CompileScope#variables()}, so every later directive can use them;</li>
 * <li>for every server (its server-level settings) and every location, in configuration order,
 *     {@link #accessHandlers} and {@link #contentHandler}.</li>
 * </ol>
 * Errors are {@link ConfigException}s with FILE:LINE ({@link io.zonesync.config.Directive#error}).
 * A reload compiles into a new configuration; state that must survive it (zone contents) belongs
 * to the feature object, which the node keeps across reloads.
 */
public interface HttpFeature {

    default void configureHttp(CompileScope http) throws ConfigException {
    }

    /**
     * The content handler of this location, or null to leave it to the next feature (and finally
     * to static files). Content handlers are not inherited by nested locations in nginx, so look at
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
}
