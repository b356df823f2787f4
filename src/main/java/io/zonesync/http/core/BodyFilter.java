package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;

/**
 * Rewrites a response body on its way out where the output may come later than the input it
 * answers ({@code ssi}, whose includes are subrequests): chosen for one response by a
 * {@link HeaderFilter} through {@link HttpExchange#filterBody}. The body's pieces come in through
 * {@link #write} and {@link #end}; what the filter makes of them goes to the {@link BodyOutput} it
 * was opened with, in order, whenever it is ready, and the response ends when the filter ends that
 * output. The {@link BodyEncoder}s chosen before it run on its input, those chosen after it on its
 * output. Runs on the connection's event loop.
 */
public interface BodyFilter {

    /** The body is about to start; everything the filter outputs goes to {@code out}. */
    void open(BodyOutput out);

    /** The next piece of the body (ownership passes to the filter). */
    void write(ByteBuf piece);

    /** The body has ended; the filter ends {@code out} once it has output everything. */
    void end();

    /** The response ended early (the client went away): free what the filter holds. */
    void close();

    /**
     * Whether the filter holds back so much output (an {@code ssi} include still running) that it
     * should not be given more input yet: the body's source pauses until {@link #whenFlowing}.
     */
    default boolean holdsBack() {
        return false;
    }

    /** Runs {@code task} once {@link #holdsBack} is false, at once if it is. */
    default void whenFlowing(Runnable task) {
        task.run();
    }
}
