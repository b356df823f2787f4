package io.zonesync.sync.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.zonesync.log.ErrnoText;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.sync.link.PeerLink;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one configured node dialled: connects, and after a failure or a lost link tries again every
 * {@code zone_sync_connect_retry_interval}. Stops for good when the node turns out to be this node,
 * or when it is removed from the configuration. Says when the node goes down (its first failed
 * attempt, and a new reason when the reason changes, then a summary of the retries at most once a
 * minute) and when it is back, and after how long.
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
    /** The TLS handshakes of the links dialled to this peer (zone_sync_ssl), across reconnects. */
    private final HandshakeCounters handshakes = new HandshakeCounters();
    /** Wall-clock ms since the node is down (its link lost, else the first failed attempt); 0 while up. */
    private long downSince;
    /** When its last online link closed; 0 while one is up. */
    private long lostAt;
    private long failures;
    /** When this dialer was made (wall-clock ms): the node has been "connecting" since then at most. */
    private final long createdAt;
    private boolean everUp;
    /** The reasons logged in this outage: each is written when it first occurs, then summarised. */
    private final Set<String> reasons = new HashSet<>();

    PeerDialer(SyncCluster cluster, String name, SocketAddress address) {
        this.cluster = cluster;
        this.name = name;
        this.address = address;
        this.createdAt = cluster.nowMillis();
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

    HandshakeCounters handshakes() {
        return handshakes;
    }

    PeerLink link() {
        return link;
    }

    String lastFailure() {
        return lastFailure;
    }

    /** While no link is up: since when the node is unreachable (wall-clock ms), for its status row. */
    synchronized long stateSince() {
        return downSince != 0 ? downSince : lostAt != 0 ? lostAt : createdAt;
    }

    void start() {
        LOG.info(SyncCluster.NOTICE, "zone_sync: node {} discovered", name);
        dial();
    }

    /** Stops dialling; a link it made lives on until the cluster closes or flushes it. */
    void stop() {
        stopped = true;
    }

    /** The node refuses us (it does not list us, or does not trust our certificate): stop dialling it until our configuration changes. */
    void markRefusedByPeer(String why) {
        if (!self && !stopped) {
            stopped = true;
            LOG.info(SyncCluster.NOTICE, "zone_sync: {} {}; not dialled until this node's configuration changes",
                    name, why);
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
                .handler(cluster.pipeline(newLink, name, address, this::failed, handshakes));
        link = newLink; // before connecting: the peer's HELLO may be read on another thread at once
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                link = null;
                cluster.linkNeverConnected(newLink); // no channelInactive will tell the cluster
                failed(ErrnoText.connectFailed(name, done.cause()));
                retryLater();
                return;
            }
            // With TLS, a completed handshake proves nothing yet: under TLS 1.3 the server checks
            // our certificate afterwards. The failure is forgotten when the peer's HELLO arrives.
            if (f.channel().pipeline().get(SslHandler.class) == null) {
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

    /** An attempt failed (connect, TLS, or anything before the node's HELLO), in nginx's words. */
    private synchronized void failed(String why) {
        lastFailure = why;
        if (stopped || self) {
            return; // an attempt still in flight when the node was removed, or this node stops
        }
        failures++;
        if (downSince == 0) {
            downSince = lostAt != 0 ? lostAt : cluster.nowMillis();
        }
        String key = name + " " + why;
        reasons.add(key);
        cluster.peerFailures().log(key, "zone_sync: peer " + name + " is down: " + why);
    }

    /** A link to the node came online, dialled by either side. */
    synchronized void peerUp() {
        lastFailure = null;
        long since = downSince;
        long attempts = failures;
        boolean back = everUp;
        downSince = 0;
        lostAt = 0;
        failures = 0;
        everUp = true;
        reasons.forEach(cluster.peerFailures()::forget);
        reasons.clear();
        if (since != 0) {
            LOG.info(SyncCluster.NOTICE, "zone_sync: peer {} is {} after {} ({} failed attempt{})", name,
                    back ? "back" : "up", duration(cluster.nowMillis() - since), attempts, attempts == 1 ? "" : "s");
        }
    }

    /** The node's online link closed: if it cannot be reached again, it has been down since now. */
    synchronized void linkLost() {
        lostAt = cluster.nowMillis();
    }

    /** e.g. {@code 850ms}, {@code 42s}, {@code 3m12s}, {@code 2h5m}. */
    static String duration(long ms) {
        if (ms < 1000) {
            return Math.max(0, ms) + "ms";
        }
        long s = (ms + 500) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }

    private void retryLater() {
        if (stopped || self) {
            return;
        }
        cluster.transport().group().schedule(this::dial, cluster.settings().connectRetryIntervalMs(),
                TimeUnit.MILLISECONDS);
    }
}
