package io.zonesync.stream.core;

/** A check of the preaccess or access phase ({@code limit_conn}, {@code allow}/{@code deny}, {@code set}). */
@FunctionalInterface
public interface StreamHandler {
    /** Go on to the next handler. */
    int CONTINUE = 0;

    /** {@link #CONTINUE}, or the status to end the session with (403, 503, ...). */
    int handle(StreamSession session);
}
