package io.zonesync.sync.cluster;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.log.LogMarkers;
import io.zonesync.log.RepeatedLog;
import io.zonesync.log.Severity;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.net.Endpoint;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.link.ChangeLog;
import io.zonesync.sync.link.LinkHost;
import io.zonesync.sync.link.LinkSettings;
import io.zonesync.sync.link.PeerLink;
import io.zonesync.sync.link.ResumeMarks;
import io.zonesync.sync.link.Teachers;
import io.zonesync.sync.link.ZoneDigests;
import io.zonesync.sync.proto.FrameDecoder;
import io.zonesync.sync.proto.FrameEncoder;
import io.zonesync.sync.proto.GoodbyeReason;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.tls.HandshakeFailure;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * This node's side of the cluster: the hub every link reports to ({@link LinkHost}). It owns the
 * links' lifecycle (created, past their HELLO, closed), decides at each HELLO whether a link lives
 * (itself, a duplicate, an unlisted or untrusted node), fans local changes out to the live links,
 * keeps the counters behind {@code /api/N/stream/zone_sync}, and runs QUIT and reload. The parts
 * with a job of their own are beside it: {@link SyncListeners} (accepting), {@link PeerRoster} and
 * {@link PeerDialer} (whom to dial), {@link PeerLinks} (one link per peer). Longer than most
 * classes because the link callbacks and the lifecycle steps share its state.
 */
public final class SyncCluster implements LinkHost {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCluster.class);
    /** nginx's "notice" level: cluster events an operator wants to see by default. */
    static final Marker NOTICE = LogMarkers.NOTICE;
    /** A failure that recurs is written once and then summarised at most this often. */
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);

    private final long nodeId;
    private final StampSource clock;
    private final Clock wall;
    private final Transport transport;
    private final ConnectionLimit connectionLimit;
    private final ResolverZones resolvers;
    private volatile ZoneSyncSettings settings;
    private volatile Map<String, ReplicatedZone<?>> zones = Map.of();
    /** Per zone name: its local changes, read by every link that syncs it. */
    private volatile Map<String, ChangeLog<?>> changeLogs = Map.of();
    private volatile Hello hello;
    private final Set<PeerLink> links = ConcurrentHashMap.newKeySet();
    private final PeerLinks online = new PeerLinks();
    private final ZoneDigests digests = new ZoneDigests();
    private final ResumeMarks resumeMarks = new ResumeMarks();
    private final Teachers teachers = new Teachers();
    private final PeerRoster roster = new PeerRoster(this);
    private final PeerHistory history = new PeerHistory();
    private final AwayPeers away = new AwayPeers();
    private final SnapshotDurations snapshotDurations = new SnapshotDurations();
    /** Zone type clashes already logged, as "peer node id/zone". */
    private final Set<String> reportedClashes = ConcurrentHashMap.newKeySet();
    private final SyncListeners listeners;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong msgsIn = new AtomicLong();
    private final AtomicLong msgsOut = new AtomicLong();
    private volatile boolean stopping;
    /** Peers that cannot be reached, one line per outage and then summaries: by dialled address. */
    private final RepeatedLog peerFailures;
    /** Nodes refused at their HELLO (not listed, certificate not trusted): by reason and node. */
    private final RepeatedLog peersRefused;
    /** Ids of nodes whose inbound link was refused as unlisted (see {@link #refusedByPeer}). */
    private final Set<Long> refusedUnlisted = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> summaries;

    public SyncCluster(ZoneSyncSettings settings, long nodeId, StampSource clock, Clock wall, Transport transport) {
        this(settings, nodeId, clock, wall, transport, ConnectionLimit.unlimited(), new ResolverZones());
    }

    /**
     * As above, with the node's {@code worker_connections} (listeners and links count against it)
     * and its resolver status zones (where the lookups of {@code zone_sync_server ... resolve} are
     * counted).
     */
    public SyncCluster(ZoneSyncSettings settings, long nodeId, StampSource clock, Clock wall, Transport transport,
            ConnectionLimit connectionLimit, ResolverZones resolvers) {
        if (nodeId == 0) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
        this.settings = settings;
        this.nodeId = nodeId;
        this.clock = clock;
        this.wall = wall;
        this.transport = transport;
        this.connectionLimit = connectionLimit;
        this.resolvers = resolvers;
        this.peerFailures = new RepeatedLog(LoggerFactory.getLogger(PeerDialer.class), Severity.ERROR,
                SUMMARY_INTERVAL, wall);
        this.listeners = new SyncListeners(this, wall);
        this.peersRefused = new RepeatedLog(LOG, Severity.WARN, SUMMARY_INTERVAL, wall);
    }

    public long nodeId() {
        return nodeId;
    }

    ZoneSyncSettings settings() {
        return settings;
    }

    Transport transport() {
        return transport;
    }

    /** Where the lookups of DNS membership are counted. */
    ResolverZones resolvers() {
        return resolvers;
    }

    RepeatedLog peerFailures() {
        return peerFailures;
    }

    /** Sets the zones to sync (before {@link #start}); each zone's local changes are pushed from then on. */
    public void setZones(Collection<? extends ReplicatedZone<?>> synced) {
        Map<String, ReplicatedZone<?>> m = new LinkedHashMap<>();
        Map<String, ChangeLog<?>> logs = new HashMap<>();
        for (ReplicatedZone<?> z : synced) {
            m.put(z.name(), z);
            // a zone kept by a reload keeps its log: links that stay online hold cursors in it
            logs.put(z.name(), changeLogs.getOrDefault(z.name(), new ChangeLog<>()));
        }
        changeLogs = Map.copyOf(logs);
        for (ReplicatedZone<?> z : synced) {
            listen(z);
        }
        zones = Map.copyOf(m);
        hello = null;
    }

    private <K> void listen(ReplicatedZone<K> zone) {
        @SuppressWarnings("unchecked")
        ChangeLog<K> log = (ChangeLog<K>) changeLogs.get(zone.name());
        zone.setChangeListener((z, key) -> changed(log, key));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K> ChangeLog<K> changes(ReplicatedZone<K> zone) {
        return (ChangeLog<K>) changeLogs.get(zone.name());
    }

    /** Binds the zone_sync listeners and starts dialling the configured nodes. */
    public void start() throws IOException {
        listeners.bind(settings);
        hello = null; // it names the bound port when the listen says port 0
        if (summaries == null) {
            summaries = transport.group().scheduleAtFixedRate(() -> {
                peerFailures.flush();
                listeners.flushSummaries();
                peersRefused.flush();
            }, 1, 1, TimeUnit.SECONDS);
        }
        roster.start(settings, List.of());
    }

    /** The addresses the zone_sync listeners are bound to (port 0 resolved). */
    public List<SocketAddress> boundAddresses() {
        return listeners.boundAddresses();
    }

    ConnectionLimit connectionLimit() {
        return connectionLimit;
    }

    // ---- links ------------------------------------------------------------------------------

    WriteBufferWaterMark waterMark() {
        ZoneSyncSettings s = settings;
        int high = (int) Math.min(Integer.MAX_VALUE, (long) s.bufferCount() * s.bufferSize());
        return new WriteBufferWaterMark(Math.max(1, high / 2), high);
    }

    PeerLink newLink(boolean outbound) {
        ZoneSyncSettings s = settings;
        PeerLink link = new PeerLink(this, outbound, new LinkSettings(s.bufferSize(), s.intervalMs(), s.timeoutMs(),
                s.connectTimeoutMs(), s.digestIntervalMs()));
        links.add(link);
        return link;
    }

    /**
     * The handlers of an outbound link to the node dialled as {@code key} ("ip:port") at
     * {@code address}, for its bootstrap: TLS first when zone_sync_ssl is on. A failure before the
     * peer's HELLO (a failed handshake, say) goes to {@code earlyFailure} in nginx's words. A TLS
     * handshake is counted in {@code handshakes} (the dialled peer's) and in the node's.
     */
    ChannelInitializer<Channel> pipeline(PeerLink link, String key, SocketAddress address,
            Consumer<String> earlyFailure, HandshakeCounters handshakes) {
        ZoneSyncSettings s = settings;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!connectionLimit.admitSync(ch)) {
                    ch.close();
                    return;
                }
                s.security().secureOutbound(ch, listedHost(s, key, address), address, s.connectTimeoutMs(),
                        why -> link.failedBeforeHello(HandshakeFailure.nginxWords(why, key)), handshakes,
                        connectionLimit.stats().handshakes());
                link.reportEarlyFailuresTo(earlyFailure);
                initLink(ch, link);
            }
        };
    }

    /**
     * The host a node was listed under (the default zone_sync_ssl_name); for a discovered node, its
     * address ({@code address} when known, else the host of its "host:port" key).
     */
    private static String listedHost(ZoneSyncSettings s, String key, SocketAddress address) {
        for (ZoneSyncSettings.StaticPeer p : s.staticPeers()) {
            if (p.key().equals(key)) {
                return p.name();
            }
        }
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress();
        }
        int colon = key.lastIndexOf(':');
        return colon > 0 ? key.substring(key.startsWith("[") ? 1 : 0, key.charAt(colon - 1) == ']' ? colon - 1 : colon)
                : key;
    }

    /** Idle detection (heartbeats and zone_sync_timeout), the frame codec, the link itself. */
    void initLink(Channel ch, PeerLink link) {
        ZoneSyncSettings s = settings;
        if (ch.config() instanceof EpollSocketChannelConfig tcp) {
            // The kernel keeps at most the water mark unsent, the rest waits here where
            // records_pending and the stall check see it (doc/protocol.md 11.3).
            tcp.setTcpNotSentLowAt(waterMark().high());
        }
        ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new IdleStateHandler(s.timeoutMs(),
                Math.max(1, s.timeoutMs() / 3), 0, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("decoder", new FrameDecoder(s.recvBufferSize()));
        ch.pipeline().addLast("encoder", new FrameEncoder());
        ch.pipeline().addLast("link", link);
    }

    boolean hasOnlineLink(long peerNodeId) {
        return online.hasLinkTo(peerNodeId);
    }

    /** Whether a link past its HELLO exists with the node listening at this dialled address: it is not dialled. */
    boolean hasOnlineLinkAdvertising(String dialKey) {
        return online.hasLinkAdvertising(dialKey);
    }

    @Override
    public Hello localHello() {
        Hello h = hello;
        if (h == null) {
            ZoneSyncSettings s = settings;
            List<ZoneSignature> catalog = new ArrayList<>();
            for (ReplicatedZone<?> z : zones.values()) {
                catalog.add(PeerLink.signature(z));
            }
            String advertised = advertised(s);
            h = Hello.of(nodeId, wall.millis(), s.recvBufferSize(), s.timeoutMs(), advertised, catalog);
            hello = h;
        }
        return Hello.of(nodeId, wall.millis(), h.maxFrameSize(), h.timeoutMillis(), h.advertised(), h.catalog());
    }

    /**
     * The sync address the HELLO gives: the first {@code listen} as written, with the port the
     * kernel chose when it says port 0 (peers recognise a node by it, doc/protocol.md 10.2).
     */
    private String advertised(ZoneSyncSettings s) {
        if (s.server().listens().isEmpty()) {
            return "";
        }
        Endpoint e = s.server().listens().get(0).endpoint();
        List<SocketAddress> bound = listeners.boundAddresses();
        if (!e.isUnix() && e.port() == 0 && !bound.isEmpty() && bound.get(0) instanceof InetSocketAddress inet) {
            return Endpoint.inet(e.host(), inet.getPort()).toString();
        }
        return e.toString();
    }

    @Override
    public Collection<ReplicatedZone<?>> zones() {
        return zones.values();
    }

    @Override
    public StampSource clock() {
        return clock;
    }

    @Override
    public ZoneDigests digests() {
        return digests;
    }

    @Override
    public ResumeMarks resumeMarks() {
        return resumeMarks;
    }

    @Override
    public Teachers teachers() {
        return teachers;
    }

    @Override
    public long nowMillis() {
        return wall.millis();
    }

    @Override
    public HelloVerdict helloReceived(PeerLink link, Hello peer) {
        PeerDialer dialer = link.outbound() ? roster.dialerOf(link) : null;
        if (peer.nodeId() == nodeId) {
            if (dialer != null) {
                dialer.markSelf();
            }
            return HelloVerdict.SELF;
        }
        if (dialer != null) {
            dialer.learned(peer.nodeId());
        }
        if (!link.outbound()) {
            HelloVerdict refused = admit(link);
            if (refused != null) {
                return refused;
            }
        }
        if (stopping || !online.claim(link, peer.nodeId(), nodeId)) {
            return HelloVerdict.DUPLICATE;
        }
        return HelloVerdict.ACCEPT;
    }

    /**
     * Who may have an inbound link: a node in the list (static or resolved), recognised by the sync
     * address its HELLO advertised, whose certificate passes the zone_sync_ssl_verify checks under
     * the name it is listed by. A refusal is logged once per node and reason, then summarised.
     */
    private HelloVerdict admit(PeerLink link) {
        ZoneSyncSettings s = settings;
        List<String> at = link.listenAddresses();
        String key = roster.listedKey(at, link.peerNodeId());
        Channel ch = link.channel();
        if (key == null) {
            if (refusedUnlisted.size() >= 1024) {
                refusedUnlisted.clear(); // strangers that kept coming back with new ids: forget them
            }
            refusedUnlisted.add(link.peerNodeId());
            String who = at.isEmpty() ? link.peerAddress() : at.get(0);
            peersRefused.log("unlisted|" + who, "zone_sync: refused the link from " + who
                    + ": it is not in the zone_sync_server list");
            return HelloVerdict.REMOVED;
        }
        String untrusted = s.security().verifyInbound(ch, listedHost(s, key, null));
        if (untrusted != null) {
            peersRefused.log(untrusted + "|" + key, "zone_sync: refused the link from " + key + ": " + untrusted);
            return HelloVerdict.UNTRUSTED;
        }
        return null;
    }

    @Override
    public void refusedByPeer(PeerLink link, String why) {
        if (refusedUnlisted.remove(link.peerNodeId())) {
            // We refused that node's own link as unlisted a moment ago: two nodes that know each
            // other only by a forwarded address (NAT, a proxy) dialled at once, before either had
            // learned the other's id. Both dialers stay; the next attempt finds the ids known.
            return;
        }
        roster.refusedByPeer(link, why);
    }

    /** The nodes a DNS name resolves to now (zone_sync_server ... resolve): dialled, or dropped when gone. */
    public void discovered(Collection<InetSocketAddress> addresses) {
        roster.discovered(addresses);
    }

    @Override
    public boolean firstClash(long peerNodeId, String zone) {
        return reportedClashes.add(Long.toHexString(peerNodeId) + "/" + zone);
    }

    boolean isStopping() {
        return stopping;
    }

    /** Every link, online or not. */
    List<PeerLink> allLinks() {
        return new ArrayList<>(links);
    }

    @Override
    public void linkOnline(PeerLink link) {
        LOG.info(NOTICE, "zone_sync: connected to {} ({} link, node {})", address(link),
                link.outbound() ? "outbound" : "inbound", Long.toHexString(link.peerNodeId()));
        history.online(link.peerNodeId());
        away.back(link.peerNodeId());
        roster.linkUp(link);
    }

    /** A dial that failed before its channel was active: forget the link it was made with. */
    void linkNeverConnected(PeerLink link) {
        links.remove(link);
    }

    @Override
    public void linkClosed(PeerLink link) {
        links.remove(link);
        history.closed(link);
        if (online.release(link) && !stopping) {
            LOG.info(NOTICE, "zone_sync: disconnected from {} ({})", address(link), link.closeReason());
            away.away(link.peerNodeId(), link.owedAtClose());
            roster.linkLost(link);
        }
    }

    private static String address(PeerLink link) {
        return link.peerAddress();
    }

    @Override
    public void countFrame(boolean inbound, int bytes) {
        if (inbound) {
            msgsIn.incrementAndGet();
            bytesIn.addAndGet(bytes);
        } else {
            msgsOut.incrementAndGet();
            bytesOut.addAndGet(bytes);
        }
    }

    @Override
    public void snapshotSent(String zone, long nanos) {
        snapshotDurations.record(zone, SnapshotDurations.Direction.SEND, nanos);
    }

    @Override
    public void snapshotReceived(String zone, long nanos) {
        snapshotDurations.record(zone, SnapshotDurations.Direction.RECEIVE, nanos);
    }

    /** How long snapshots took to go out and to come in, per zone, since the node started. */
    public SnapshotDurations snapshotDurations() {
        return snapshotDurations;
    }

    /** A local change: logged once for every online link, each of which owes the key to its peer. */
    <K> void changed(ChangeLog<K> log, K key) {
        long now = nowMillis();
        if (log.append(key, now)) {
            for (PeerLink l : online.fanOut()) {
                l.changeLogged();
            }
        }
        away.changed(now);
    }

    // ---- status -----------------------------------------------------------------------------

    public ZoneSyncStatus status() {
        List<PeerLink> linked = online.all();
        Map<String, ZoneSyncStatus.ZoneCounts> zoneCounts = new LinkedHashMap<>();
        Map<String, Long> pending = new HashMap<>();
        List<ZoneSyncStatus.NodeStatus> nodes = new ArrayList<>();
        int nodesOnline = 0;
        for (PeerLink l : linked) {
            if (!l.state().online()) {
                continue;
            }
            nodesOnline++;
            long owed = 0;
            for (Map.Entry<String, Long> e : l.backlog().entrySet()) {
                pending.merge(e.getKey(), e.getValue(), Math::max);
                owed += e.getValue();
            }
            long[] counts = l.recordCounts();
            long[] bytes = l.byteCounts();
            PeerHistory.Peer past = history.get(l.peerNodeId());
            long lag = l.replicationLagMillis();
            long awaySince = away.owedSince(l.peerNodeId());
            if (awaySince >= 0 && l.caughtUp()) {
                away.forget(l.peerNodeId());
            } else if (awaySince >= 0) {
                lag = Math.max(lag, AwayPeers.lag(awaySince, nowMillis()));
            }
            nodes.add(new ZoneSyncStatus.NodeStatus(address(l), l.outbound() ? "outbound" : "inbound",
                    l.state().name().toLowerCase(), l.peerNodeId(), l.onlineSince(), l.stateSince(),
                    l.lastError() != null ? l.lastError() : past.lastError(), counts[0], counts[1], owed, bytes[1],
                    bytes[0], settings.security().describe(l.channel()), past.reconnects(),
                    Math.max(l.lastReadAt(), past.lastSeen()), l.rttNanos(), lag,
                    l.outbound() ? roster.handshakesDialling(l) : null));
        }
        for (ReplicatedZone<?> z : zones.values()) {
            zoneCounts.put(z.name(), new ZoneSyncStatus.ZoneCounts(pending.getOrDefault(z.name(), 0L), z.recordCount(),
                    z.type().name()));
        }
        roster.addDialling(nodes);
        return new ZoneSyncStatus(bytesIn.get(), msgsIn.get(), msgsOut.get(), bytesOut.get(), nodesOnline,
                zoneCounts, nodes);
    }

    /**
     * The replication lag (ms) of a node no link to which is online: the age of the oldest record
     * owed to it since its last link closed (0: none), or -1 when it was never linked.
     */
    long awayLagMillis(long nodeId) {
        return AwayPeers.lag(away.owedSince(nodeId), nowMillis());
    }

    /** What the cluster remembers of a node across its links (0: none known). */
    PeerHistory.Peer history(long nodeId) {
        return history.get(nodeId);
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /**
     * QUIT: stop accepting and dialling, flush every pending record to every online peer, say
     * GOODBYE and wait for the peers to close, all within {@code zone_sync_timeout}.
     */
    public void quit() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMs());
        stopping = true;
        roster.stopAll();
        listeners.close();
        List<ChannelFuture> closing = new ArrayList<>();
        for (PeerLink l : new ArrayList<>(links)) {
            if (l.state().online()) {
                closing.add(l.goodbye(GoodbyeReason.SHUTDOWN));
            } else {
                l.close();
            }
        }
        for (ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                LOG.warn("zone_sync: a peer did not confirm the final flush within zone_sync_timeout ({} ms)",
                        settings.timeoutMs());
                break;
            }
        }
        stop();
    }

    /** Closes everything at once. */
    public void stop() {
        stopping = true;
        if (summaries != null) {
            summaries.cancel(false);
        }
        roster.stopAll();
        listeners.close();
        for (PeerLink l : new ArrayList<>(links)) {
            l.close();
        }
    }

    /**
     * Reload: when the zones, the listeners or any setting other than the node list changed, every
     * link says GOODBYE RELOAD and comes back with the new catalog and a snapshot; otherwise only the
     * node list is reconciled: removed nodes are closed and no longer dialled, new ones are dialled.
     */
    public void reconfigure(ZoneSyncSettings next, Collection<? extends ReplicatedZone<?>> nextZones)
            throws IOException {
        ZoneSyncSettings prev = settings;
        boolean sameZones = sameCatalog(nextZones);
        boolean sameListen = SyncListeners.listenOf(prev).equals(SyncListeners.listenOf(next));
        boolean sameTuning = prev.bufferCount() == next.bufferCount() && prev.bufferSize() == next.bufferSize()
                && prev.recvBufferSize() == next.recvBufferSize() && prev.intervalMs() == next.intervalMs()
                && prev.timeoutMs() == next.timeoutMs() && prev.security().equals(next.security());
        settings = next;
        setZones(nextZones);
        if (!sameListen) {
            listeners.close();
            roster.stopDiscovery(); // start() begins it anew from the new settings
            start();
            for (PeerLink l : new ArrayList<>(links)) {
                l.close();
            }
            return;
        }
        if (!sameZones || !sameTuning) {
            for (PeerLink l : new ArrayList<>(links)) {
                if (l.state().online()) {
                    l.goodbye(GoodbyeReason.RELOAD);
                } else {
                    l.close();
                }
            }
        }
        roster.start(next, roster.stopDiscovery());
    }

    private boolean sameCatalog(Collection<? extends ReplicatedZone<?>> nextZones) {
        Map<String, ReplicatedZone<?>> now = zones;
        if (now.size() != nextZones.size()) {
            return false;
        }
        for (ReplicatedZone<?> z : nextZones) {
            ReplicatedZone<?> old = now.get(z.name());
            if (old == null || !old.type().equals(z.type())) {
                return false;
            }
        }
        return true;
    }
}
