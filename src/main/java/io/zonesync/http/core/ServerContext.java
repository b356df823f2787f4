package io.zonesync.http.core;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.net.ConnectionLimit;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one runtime shares: the clock, the log writer, the node's
 * worker_connections, ids, and the drain flag.
 */
final class ServerContext {
    final Clock clock;
    final AccessLogWriter logWriter;
    final ChannelGroup connections;
    final ConnectionLimit connectionLimit;
    private final AtomicLong connectionIds = new AtomicLong();
    volatile boolean draining;

    ServerContext(Clock clock, AccessLogWriter logWriter, ChannelGroup connections, ConnectionLimit connectionLimit) {
        this.clock = clock;
        this.logWriter = logWriter;
        this.connections = connections;
        this.connectionLimit = connectionLimit;
    }

    /**
     * Counts a new client connection among the node's; false, with the connection closed, when the
     * node is draining (a stop or a retired listener lets no new connection in).
     */
    boolean admit(Channel channel) {
        connections.add(channel);
        if (draining) {
            channel.close();
            return false;
        }
        return true;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }
}
