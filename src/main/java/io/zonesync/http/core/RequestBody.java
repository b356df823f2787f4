package io.zonesync.http.core;

/**
 * A request body delivered as it arrives ({@link ContentHandler.BodyMode#STREAM}). Pieces that
 * arrived before {@link #subscribe} are kept and delivered first. Reading from the client stops
 * while the body is {@linkplain #pause() paused}, which is how a slow upstream pushes back.
 */
public interface RequestBody {
    /** Starts delivery; at most one receiver. */
    void subscribe(BodyReceiver receiver);

    /** Stop reading from the client until {@link #resume()}. */
    void pause();

    void resume();

    /**
     * The body's length when it is known: the Content-Length the client announced, or the size of
     * a chunked body read whole before the content phase; else -1 (chunked, or no body).
     */
    long declaredLength();
}
