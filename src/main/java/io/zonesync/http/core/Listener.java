package io.zonesync.http.core;

import io.netty.channel.Channel;
import java.net.SocketAddress;

/**
 * One listening socket of a runtime and what it serves now. Its routes are swapped atomically on
 * reload; once retired (its address left the configuration) its connections close after their
 * current request.
 */
final class Listener {
    private final ListenAddress address;
    private volatile ListenerRoutes routes;
    private volatile boolean retired;
    private volatile Channel channel;

    Listener(ListenAddress address, ListenerRoutes routes) {
        this.address = address;
        this.routes = routes;
    }

    ListenAddress address() {
        return address;
    }

    ListenerRoutes routes() {
        return routes;
    }

    void routes(ListenerRoutes next) {
        this.routes = next;
    }

    boolean isRetired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    Channel channel() {
        return channel;
    }

    void channel(Channel c) {
        this.channel = c;
    }

    SocketAddress boundAddress() {
        Channel c = channel;
        return c == null ? null : c.localAddress();
    }
}
