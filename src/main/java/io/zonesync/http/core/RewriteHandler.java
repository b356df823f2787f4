package io.zonesync.http.core;

/**
 * A step of nginx's rewrite phases, supplied per level by {@link HttpFeature#rewriteHandlers}: a
 * server's handlers run once the server is chosen and before the location is looked up (nginx's
 * server-rewrite phase), a location's once it is found and before its access handlers (the
 * rewrite phase). Handlers of one level run in configuration order, features in registration
 * order; the first that answers ends the phases. {@code return} is one.
 *
 * <p>{@link #rewrite} runs on the connection's event loop and must not block.
 */
public interface RewriteHandler {

    /** Runs this step; true when it has answered the request (nothing after it runs), false to go on. */
    boolean rewrite(HttpExchange exchange);
}
