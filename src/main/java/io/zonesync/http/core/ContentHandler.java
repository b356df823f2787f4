package io.zonesync.http.core;

/**
 * Produces the response of a location (nginx's content phase): what a module supplies through
 * {@link HttpFeature#contentHandler} ({@code proxy_pass}, {@code api}, static files).
 *
 * <p>{@link #handle} runs on the connection's event loop and must not block. It must eventually
 * answer through the exchange ({@link HttpExchange#respond}, {@link HttpExchange#startResponse},
 * {@link HttpExchange#sendError}), possibly later and from another thread. An exception thrown
 * from {@code handle} before a response starts becomes a 500.
 */
public interface ContentHandler {

    /** How the handler wants the request body. */
    enum BodyMode {
        /**
         * The whole body is read first, up to {@code client_max_body_size} (a larger body gets 413
         * without calling the handler); {@link HttpExchange#body()} holds it when
         * {@link #handle} runs.
         */
        AGGREGATE,
        /**
         * {@link #handle} runs as soon as the headers are in; the body arrives through
         * {@link HttpExchange#requestBody()} with backpressure ({@code proxy_pass}).
         * {@code client_max_body_size} is still enforced.
         */
        STREAM,
        /**
         * The whole body is read first, up to {@code client_max_body_size}, as nginx's request
         * buffering does; then {@link #handle} runs and the body arrives as with {@link #STREAM}
         * ({@code proxy_pass} whose request names {@code $request_body}).
         */
        READ_THEN_STREAM,
        /** The body is read and dropped (keeping the connection usable); {@link #handle} runs at once. */
        DISCARD
    }

    default BodyMode bodyMode() {
        return BodyMode.AGGREGATE;
    }

    void handle(HttpExchange exchange) throws Exception;
}
