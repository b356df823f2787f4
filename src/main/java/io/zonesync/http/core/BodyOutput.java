package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;

/**
 * Where a body goes piece by piece: the client's response behind a {@link BodyFilter}, or the
 * caller of a subrequest whose body it asked for ({@link HttpExchange#subrequest(Subrequest, BodyOutput)}).
 * Called on the connection's event loop; exactly one of {@link #end} or {@link #abort} ends it.
 */
public interface BodyOutput {

    /** The next piece (ownership passes). */
    void write(ByteBuf piece);

    /** The body is complete. */
    void end();

    /** The body cannot be completed: the client's connection is to be closed. */
    void abort();
}
