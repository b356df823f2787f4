package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;

/**
 * Receives a streamed request body ({@link ContentHandler.BodyMode#STREAM}), on the connection's
 * event loop. Exactly one of {@link #onEnd} or {@link #onError} is called last.
 */
public interface BodyReceiver {
    /** A piece of the body; the receiver owns it and must release it. */
    void onData(ByteBuf chunk);

    /** The body is complete. */
    void onEnd();

    /**
     * The body will not complete: the client went away, the body passed
     * {@code client_max_body_size} (the server then answers 413 itself if no response started),
     * or reading timed out.
     */
    void onError(Throwable cause);
}
