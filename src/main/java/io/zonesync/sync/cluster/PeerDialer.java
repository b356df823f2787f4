package io.zonesync.sync.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.zonesync.sync.link.PeerLink;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one configured node dialled: connects, and after a failure or a lost link tries again every
 * {@code zone_sync_connect_retry_interval}. Stops for good when the node turns out to be this node,
 * or when it is removed from the configuration. A failure is logged once per outage, not per retry.
 */
final class PeerDialer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

    private final SyncCluster cluster;
    private final String name;
    private final SocketAddress address;
    private volatile boolean stopped;
    private volatile boolean self;
    private volatile long peerNodeId;
    private volatile PeerLink link;
    private volatile String lastFailure;

    PeerDialer(SyncCluster cluster, String name, SocketAddress address) {
        this.cluster = cluster;
        this.name = name;
        this.address = address;
    }

    String name() {
        return name;
    }

    SocketAddress address() {
        return address;
    }

    boolean isSelf() {
        return self;
    }

    boolean isStopped() {
        return stopped;
    }

    long peerNodeId() {
        return peerNodeId;
    }

    /** The node id behind this address, from the HELLO on our own dial: the connection, TLS included, works. */
    void learned(long id) {
        peerNodeId = id;
        lastFailure = null;
    }

    PeerLink link() {
        return link;
    }

    String lastFailure() {
        return lastFailure;
    }

    void start() {
        LOG.info(SyncCluster.NOTICE, "zone_sync: node {} discovered", name);
        dial();
    }

    /** Stops dialling; a link it made lives on until the cluster closes or flushes it. */
    void stop() {
        stopped = true;
    }

    /** The node removed us from its configuration: stop dialling it until our own list changes. */
    void markRemovedByPeer() {
        if (!self && !stopped) {
            stopped = true;
            LOG.info(SyncCluster.NOTICE, "zone_sync: {} no longer lists this node; not dialled until this node's"
                    + " configuration changes", name);
        }
    }

    /** This address is this node: never dial it again (until the configuration changes). */
    void markSelf() {
        if (!self) {
            self = true;
            LOG.info("zone_sync: {} is this node itself, not dialled", name);
        }
    }

    private void dial() {
        if (stopped || self) {
            return;
        }
        long known = peerNodeId;
        if ((known != 0 && cluster.hasOnlineLink(known)) || cluster.hasOnlineLinkAdvertising(name)) {
            // The node is already connected, through its own dial or ours (doc/protocol.md 10.2):
            // a second link would only be closed as a duplicate after both had started a
            // snapshot (10.3). Check again later.
            retryLater();
            return;
        }
        ZoneSyncSettings s = cluster.settings();
        PeerLink newLink = cluster.newLink(true);
        Bootstrap b = new Bootstrap().group(cluster.transport().group())
                .channel(cluster.transport().clientChannel(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, s.connectTimeoutMs()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, cluster.waterMark())
                .handler(cluster.pipeline(newLink, name, address, why -> failed("TLS handshake failed: " + why)));
        link = newLink; // before connecting: the peer's HELLO may be read on another thread at once
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                link = null;
                cluster.linkNeverConnected(newLink); // no channelInactive will tell the cluster
                failed(describe(done.cause()));
                retryLater();
                return;
            }
            // With TLS, a completed handshake proves nothing yet: under TLS 1.3 the server checks
            // our certificate afterwards. The failure is forgotten when the peer's HELLO arrives.
            if (f.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class) == null) {
                lastFailure = null;
            }
            f.channel().closeFuture().addListener(closed -> {
                link = null;
                long id = newLink.peerNodeId();
                if (id != 0 && id != cluster.nodeId()) {
                    peerNodeId = id;
                }
                if (!stopped && !self) {
                    retryLater();
                }
            });
        });
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private void failed(String why) {
        if (!why.equals(lastFailure)) {
            LOG.info(SyncCluster.NOTICE, "zone_sync: connecting to {} failed: {}; retrying every {} ms", name, why,
                    cluster.settings().connectRetryIntervalMs());
        }
        lastFailure = why;
    }

    private void retryLater() {
        if (stopped || self) {
            return;
        }
        cluster.transport().group().schedule(this::dial, cluster.settings().connectRetryIntervalMs(),
                TimeUnit.MILLISECONDS);
    }
}
