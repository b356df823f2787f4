package io.zonesync.http.core;

/**
 * A step of nginx's rewrite phases, supplied per level by {@link HttpFeature#rewriteHandlers}: a
 * server's steps run once the server is chosen and before the location is looked up (nginx's
 * server-rewrite phase), a location's once it is found and before its access handlers (the
 * rewrite phase). Steps of one level run in configuration order, features in registration order,
 * until one says otherwise ({@link Outcome}). {@code return}, {@code rewrite}, {@code set},
 * {@code if} and {@code break} are such steps.
 *
 * <p>A step may change the URI ({@link HttpExchange#rewriteUri}); when a location's steps end with
 * the URI changed (and not by {@link Outcome#BREAK}), the location is looked up again for it, and
 * its steps run, at most 10 times per request, as in nginx.
 *
 * <p>{@link #rewrite} runs on the connection's event loop and must not block.
 */
public interface RewriteHandler {

    /** What the phases do after a step. */
    enum Outcome {
        /** Go on with the next step. */
        NEXT,
        /** The step answered the request: nothing after it runs. */
        ANSWERED,
        /** Stop this level's steps and stay in the location ({@code break}, {@code rewrite ... break}). */
        BREAK,
        /** Stop this level's steps and look the location up again for the new URI ({@code rewrite ... last}). */
        LAST
    }

    Outcome rewrite(HttpExchange exchange);
}
