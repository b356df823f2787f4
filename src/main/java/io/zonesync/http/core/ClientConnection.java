package io.zonesync.http.core;

import io.netty.channel.ChannelHandler;

/**
 * The handler that owns a client connection, whatever it speaks: what the runtime asks of it on
 * reload and shutdown.
 */
interface ClientConnection extends ChannelHandler {
    /** The listener the connection came in on. */
    Listener listener();

    /** Close now if idle, else once the requests in flight are answered. */
    void drain();
}
