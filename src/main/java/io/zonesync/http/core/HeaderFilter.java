package io.zonesync.http.core;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Changes a response's headers just before they are written, as nginx's header filters do
 * ({@code add_header}): supplied per location by {@link HttpFeature#headerFilters}, applied to every
 * response of that location, the error pages included, in registration order. Runs on the
 * connection's event loop; must not block.
 */
public interface HeaderFilter {

    /** Adds to or changes {@code headers} of a response with {@code status}. */
    void filter(int status, HttpHeaders headers, HttpExchange exchange);
}
