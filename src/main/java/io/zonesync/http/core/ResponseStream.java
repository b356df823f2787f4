package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;

/**
 * A response whose headers are sent and whose body follows in pieces ({@link HttpExchange#startResponse}).
 * Without a Content-Length the body goes chunked to HTTP/1.1 clients, and an HTTP/1.0 client's
 * connection closes after it. For HEAD the pieces are dropped. Methods may be called from any thread.
 */
public interface ResponseStream {
    /** Sends a piece (ownership passes to the stream). The future completes when it is written. */
    Future<Void> write(ByteBuf data);

    /** Whether the connection can take more now without queueing (backpressure). */
    boolean isWritable();

    /** Runs the task on the event loop once the connection is writable again (at once if it is). */
    void whenWritable(Runnable task);

    /** Ends the body, with trailers for a chunked body (may be empty). */
    void end(HttpHeaders trailers);

    default void end() {
        end(null);
    }

    /** The body cannot be completed (upstream failed mid-way): the connection is closed. */
    void abort();
}
