package io.zonesync.stream.core;

import io.zonesync.config.ConfigException;

/**
 * A stream module's part in proxying connections, as the stream compiler asks for it: first every
 * module defines its variables (those configuration declares by name too), then compiles what may use
 * any variable, then adds its handlers to each proxy server. Each step has nothing to do by default.
 */
public interface StreamFeature {

    /** Defines variables: the module's own, and the names the configuration declares. */
    default void defineVariables(StreamCompile stream) throws ConfigException {
    }

    /** Compiles what may use any variable (map tables, keyval keys). */
    default void finishVariables(StreamCompile stream) throws ConfigException {
    }

    /** Adds this module's handlers to one server. */
    default void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
    }
}
