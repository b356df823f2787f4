package io.zonesync.sync.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.log.ErrnoText;
import io.zonesync.net.AddressText;
import io.zonesync.net.Endpoint;
import io.zonesync.sync.proto.Abort;
import io.zonesync.sync.proto.AbortCode;
import io.zonesync.sync.proto.Digest;
import io.zonesync.sync.proto.FrameWriter;
import io.zonesync.sync.proto.Goodbye;
import io.zonesync.sync.proto.GoodbyeReason;
import io.zonesync.sync.proto.Heartbeat;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Mark;
import io.zonesync.sync.proto.Ping;
import io.zonesync.sync.proto.Pong;
import io.zonesync.sync.proto.ProtocolException;
import io.zonesync.sync.proto.RecordBatch;
import io.zonesync.sync.proto.Resume;
import io.zonesync.sync.proto.SnapshotBegin;
import io.zonesync.sync.proto.SnapshotEnd;
import io.zonesync.sync.proto.SyncRecord;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.tls.HandshakeFailure;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One zone_sync connection, inbound or outbound, from the HELLO exchange to its close
 * (doc/protocol.md section 10). It merges what the peer sends, and sends this node's snapshot and
 * its live changes, coalesced per key and packed into buffers, as fast as the socket takes them.
 *
 * <p>All state belongs to the channel's event loop; writers reach the link only through the
 * zones' change logs and {@link #changeLogged}.
 *
 * <p>One state machine per link, as HAProxy's peers have: the states of protocol.md 10.1 and every
 * event that moves them (frames, timers, writability, close) are in this one class, which is why it
 * is longer than most; what each state does with records is in {@link LinkOutbox} (sending) and
 * {@link DigestExchange} (anti-entropy).
 */
public final class PeerLink extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    /** A stamp further ahead of our clock than this is refused (doc/protocol.md 6.2). */
    static final long DRIFT_BOUND_MS = TimeUnit.HOURS.toMillis(1);
    private static final long DRIFT_LOG_INTERVAL_MS = TimeUnit.MINUTES.toMillis(1);
    /** How long a last frame (ABORT, GOODBYE) may take to go out before the socket is closed anyway. */
    static final long CLOSE_LINGER_MS = 1000;
    /**
     * Delta resync (doc/protocol.md 11.6): a mark is asserted only this long after it was read, so
     * that every local write stamped at or below it has been queued on the link by then.
     */
    static final long MARK_GRACE_MS = 2000;
    /** The least time between two PINGs that follow records (doc/protocol.md 3.4). */
    static final long PING_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The name of the idle-state handler in the pipeline, replaced once the peer's timeout is known. */
    public static final String IDLE_HANDLER = "idle";

    private final LinkHost host;
    private final boolean outbound;
    private final int bufferSize;
    private final long intervalMs;
    private final long timeoutMs;
    private final long helloTimeoutMs;
    private final long digestIntervalMs;
    private final DigestExchange digests;
    private final AtomicBoolean fillScheduled = new AtomicBoolean();
    private final LinkOutbox outbox;
    private final DeliveryLag delivery = new DeliveryLag();
    private final long createdAt;

    private volatile LinkState state = LinkState.HANDSHAKING;
    /** When {@link #state} last changed, on the host's clock. */
    private volatile long stateSince;
    /** When the last frame of any kind (heartbeats included) arrived, on the host's clock; 0 before one. */
    private volatile long lastReadAt;
    /** RECORDS bytes received, frame headers included (written on the event loop only; sent: the outbox). */
    private volatile long bytesReceived;
    /** The last round trip of a PING, in nanoseconds; -1 until one is answered (doc/protocol.md 3.4). */
    private volatile long rttNanos = -1;
    /** The PING awaiting its PONG (0: none) and when it went out, on {@link LinkHost#nanoTime}. */
    private long pingToken;
    private long pingSentAt;
    private long pingsSent;
    /** The heartbeat period (a third of the smaller zone_sync_timeout), in nanoseconds, once the HELLOs are known. */
    private long heartbeatNanos;
    /** A PING put off by {@link #PING_SPACING_NANOS}, or null. */
    private ScheduledFuture<?> pingTimer;
    /** When each zone's snapshot from the peer began (SNAPSHOT_BEGIN received), on {@link LinkHost#nanoTime}. */
    private final Map<String, Long> snapshotsArriving = new HashMap<>();
    /**
     * The zones this link asked the peer for part of (a delta, 11.6, or none, 11.7) and whose
     * answer has not ended: that answer is not the whole snapshot the receive timings count.
     */
    private final Set<String> askedPart = new HashSet<>();
    private volatile Hello peer;
    private volatile long onlineSince;
    /** Since when the oldest record the link still owed when it closed was owed (ms); MAX_VALUE: none. */
    private volatile long owedAtClose = Long.MAX_VALUE;
    private volatile String lastError;
    private Channel channel;
    private boolean quitting;
    private boolean goodbyeSent;
    private boolean goodbyeReceived;
    private GoodbyeReason goodbyeReason = GoodbyeReason.SHUTDOWN;
    private ScheduledFuture<?> intervalTimer;
    private ScheduledFuture<?> helloTimer;
    /** Write progress as last seen (doc/protocol.md 10.1): when, and what the outbound buffer held. */
    private long lastWriteProgress;
    private int lastWriteHead;
    private long lastWriteHeadProgress;
    private long lastDriftLog = Long.MIN_VALUE;
    private long refusedRecords;
    private long ignoredFrames;
    /** Where a failure before the peer's HELLO goes: the dialer (outbound) or the cluster's client log (inbound). */
    private volatile Consumer<String> earlyFailureReport;
    private boolean earlyFailureReported;
    /** Why the link closed, for the cluster's "disconnected" line; null while it is open. */
    private volatile String closeReason;
    /** This node closed the link (stop, reload, a duplicate): nothing to report about the peer. */
    private volatile boolean closedHere;
    /** {@link #peerAddress()} once it can no longer change; it is in every log line and fill. */
    private volatile String addressText;

    public PeerLink(LinkHost host, boolean outbound, LinkSettings settings) {
        this.host = host;
        this.outbound = outbound;
        this.bufferSize = settings.bufferSize();
        this.intervalMs = settings.intervalMs();
        this.timeoutMs = settings.timeoutMs();
        this.helloTimeoutMs = settings.helloTimeoutMs();
        this.digestIntervalMs = settings.digestIntervalMs();
        this.createdAt = host.nowMillis();
        this.stateSince = createdAt;
        this.outbox = new LinkOutbox(host, delivery);
        this.digests = new DigestExchange(this, host, outbox, settings.digestIntervalMs());
    }

    // ---- what the cluster asks of a link -------------------------------------------------------

    public boolean outbound() {
        return outbound;
    }

    public LinkState state() {
        return state;
    }

    /** The peer's HELLO, or null before it arrived. */
    public Hello peer() {
        return peer;
    }

    public long peerNodeId() {
        Hello p = peer;
        return p == null ? 0 : p.nodeId();
    }

    /** The node that dialled this link (doc/protocol.md 10.3). */
    public long dialledBy(long localNodeId) {
        return outbound ? localNodeId : peerNodeId();
    }

    public SocketAddress remoteAddress() {
        Channel c = channel;
        return c == null ? null : c.remoteAddress();
    }

    public long onlineSince() {
        return onlineSince;
    }

    /** A QUIT is flushing this link: no new rounds of anything. */
    boolean isQuitting() {
        return quitting;
    }

    public long createdAt() {
        return createdAt;
    }

    public String lastError() {
        return lastError;
    }

    /** When the link entered its current state (ms on the host's clock). */
    public long stateSince() {
        return stateSince;
    }

    /** When the peer was last heard from, any frame (ms on the host's clock), or 0 if never. */
    public long lastReadAt() {
        return lastReadAt;
    }

    /** RECORDS bytes received and sent over this link, frame headers included: {received, sent}. */
    public long[] byteCounts() {
        return new long[] {bytesReceived, outbox.bytesSent()};
    }

    /** The last heartbeat round trip in nanoseconds, or -1 before one (or with a peer that does not answer PINGs). */
    public long rttNanos() {
        return rttNanos;
    }

    /**
     * How far behind the peer is in receiving this node's changes, in ms (doc/operations.md): the
     * age of the oldest record this link owes the peer that the peer has not confirmed receiving,
     * whether it is still queued, still in the snapshot, or written and awaiting the PONG of a
     * later PING; 0 when nothing is owed, -1 while the link is not online.
     */
    public long replicationLagMillis() {
        if (!state.online()) {
            return -1;
        }
        long oldest = oldestOwed();
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, host.nowMillis() - oldest);
    }

    private long oldestOwed() {
        return Math.min(outbox.oldestOwedAt(), delivery.oldestUnconfirmed());
    }

    /**
     * Whether the peer has confirmed what this link owed it from its start: its snapshot (or delta
     * resync) of every zone is written ({@link LinkState#LIVE}) and nothing owed since before the
     * link came online is still unconfirmed. Once true, it stays true for the link's life.
     */
    public boolean caughtUp() {
        if (state != LinkState.LIVE) {
            return false;
        }
        long oldest = oldestOwed();
        return oldest == Long.MAX_VALUE || oldest > onlineSince;
    }

    /** Since when the oldest record this closed link still owed the peer was owed (ms), or MAX_VALUE. */
    public long owedAtClose() {
        return owedAtClose;
    }

    private void setState(LinkState next) {
        if (state != next) {
            state = next;
            stateSince = host.nowMillis();
        }
    }

    /** A local change was logged: an online link sends it (it reads the zones' change logs). */
    public void changeLogged() {
        if (state.online() && !quitting) {
            requestFill();
        }
    }

    /** Per zone synced on this link: records still owed to the peer. */
    public Map<String, Long> backlog() {
        return state.online() ? outbox.backlog() : Map.of();
    }

    /** Records sent and received over this link, all zones together. */
    public long[] recordCounts() {
        return outbox.recordCounts();
    }

    /**
     * Flushes every pending change, then says GOODBYE with this reason; the returned future
     * completes when the link is closed (by the peer's GOODBYE or by the caller's deadline).
     */
    public ChannelFuture goodbye(GoodbyeReason reason) {
        Channel c = channel;
        c.eventLoop().execute(() -> {
            quitting = true;
            goodbyeReason = reason;
            outbox.stopLogging();
            if (!state.online()) {
                c.close();
                return;
            }
            fill();
        });
        return c.closeFuture();
    }

    /**
     * Where a failure before the peer's HELLO goes, in nginx's words (e.g. {@code client closed
     * connection while waiting for HELLO}): for an outbound link the dialer, which says the peer
     * is down; for an inbound one the cluster, which summarises clients that probe the port. With
     * TLS 1.3 a client's handshake completes before the server has checked the client's
     * certificate, so the server's refusal arrives here too, as an alert on a link already up.
     */
    public void reportEarlyFailuresTo(Consumer<String> report) {
        earlyFailureReport = report;
    }

    /** A failure before the peer's HELLO (the TLS handshake, say): reported once, where {@link #reportEarlyFailuresTo} said. */
    public void failedBeforeHello(String why) {
        if (earlyFailureReported || closedHere) {
            return;
        }
        earlyFailureReported = true;
        lastError = why;
        closeReason = why;
        Consumer<String> report = earlyFailureReport;
        if (report != null) {
            report.accept(why);
        }
    }

    /** The link's connection, null until it is up: where the cluster finds the peer's TLS session. */
    public Channel channel() {
        return channel;
    }

    /** Why the link closed, e.g. {@code connection closed by peer}; null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    /** Closes at once. */
    public void close() {
        closedHere = true;
        if (closeReason == null) {
            closeReason = "closed by this node";
        }
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    // ---- channel events ----------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(host.localHello());
        helloTimer = ctx.executor().schedule(() -> {
            if (peer == null && state == LinkState.HANDSHAKING) {
                failedBeforeHello(who() + " timed out (110: Connection timed out) while waiting for HELLO");
                abort(AbortCode.TIMEOUT, "no HELLO within zone_sync_connect_timeout");
            }
        }, helloTimeoutMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadAt = host.nowMillis();
        if (msg instanceof Hello hello) {
            onHello(ctx, hello);
        } else if (msg instanceof RecordBatch batch) {
            onRecords(batch);
        } else if (msg instanceof SnapshotBegin begin) {
            LOG.debug("zone_sync: peer {} starts its snapshot of zone \"{}\"", address(), begin.zone().name());
            snapshotsArriving.put(begin.zone().name(), host.nanoTime());
        } else if (msg instanceof SnapshotEnd end) {
            LOG.info("zone_sync: received the snapshot of zone \"{}\" from {}: {} records", end.zone().name(),
                    address(), end.records());
            Long begun = snapshotsArriving.remove(end.zone().name());
            ZoneSession<?> s = outbox.session(end.zone().name());
            boolean whole = !askedPart.remove(end.zone().name());
            if (begun != null && s != null && whole) {
                host.snapshotReceived(end.zone().name(), host.nanoTime() - begun);
            }
            if (s != null && s.signature.matches(end.zone())
                    && host.teachers().snapshotEnded(this, s.zone)) {
                askWhole(s.zone);
            }
        } else if (msg instanceof Digest digest) {
            if (!digests.received(channel, digest)) {
                ignoredFrames++;
            }
        } else if (msg instanceof Goodbye bye) {
            onGoodbye(bye);
        } else if (msg instanceof Abort abort) {
            onAbort(abort);
        } else if (msg instanceof Ping ping) {
            if (state != LinkState.CLOSED) {
                ctx.writeAndFlush(new Pong(ping.token()));
            }
        } else if (msg instanceof Pong pong) {
            onPong(pong);
        } else if (msg instanceof Mark mark) {
            onMark(mark);
        } else if (msg instanceof Resume resume) {
            onResume(resume);
        } else if (!(msg instanceof Heartbeat)) {
            LOG.debug("zone_sync: ignoring {} from {}", msg, address());
        }
    }

    private void onHello(ChannelHandlerContext ctx, Hello hello) {
        peer = hello;
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        long skew = hello.wallClockMillis() - host.nowMillis();
        if (Math.abs(skew) > DRIFT_BOUND_MS) {
            LOG.warn("zone_sync: the clock of {} differs from ours by {} ms, more than the bound of {} ms:"
                    + " its records stamped that far ahead will be refused", address(), skew, DRIFT_BOUND_MS);
        }
        switch (host.helloReceived(this, hello)) {
            case SELF -> {
                abort(AbortCode.SELF_CONNECTION, "connected to itself");
                return;
            }
            case DUPLICATE -> {
                abort(AbortCode.DUPLICATE_LINK, "a link between these nodes exists already");
                return;
            }
            case REMOVED -> {
                setState(LinkState.CLOSING);
                goodbyeSent = true;
                sendAndClose(new Goodbye(GoodbyeReason.REMOVED));
                return;
            }
            case UNTRUSTED -> {
                abort(AbortCode.UNTRUSTED, "this node's certificate did not pass the peer's zone_sync_ssl_verify checks");
                return;
            }
            case ACCEPT -> {
            }
        }
        outbox.frameBudget((int) Math.min(bufferSize, hello.maxFrameSize()));
        // Heartbeats at a third of the smaller timeout keep both ends' idle checks quiet (protocol 3.3).
        long heartbeat = Math.max(1, Math.min(timeoutMs, hello.timeoutMillis()) / 3);
        heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeat);
        delivery.confirmable(hello.takesPings());
        ctx.pipeline().replace(IDLE_HANDLER, IDLE_HANDLER,
                new IdleStateHandler(timeoutMs, heartbeat, 0, TimeUnit.MILLISECONDS));
        Map<String, ZoneSignature> theirs = new HashMap<>();
        for (ZoneSignature z : hello.catalog()) {
            theirs.put(z.name(), z);
        }
        for (ReplicatedZone<?> zone : host.zones()) {
            ZoneSignature mine = signature(zone);
            ZoneSignature other = theirs.get(zone.name());
            if (other == null) {
                LOG.info("zone_sync: zone \"{}\" is not synced by {}", zone.name(), address());
            } else if (!other.matches(mine)) {
                if (!host.firstClash(hello.nodeId(), zone.name())) {
                    LOG.debug("zone_sync: zone \"{}\" still differs on {}", zone.name(), address());
                    continue;
                }
                LOG.error("zone_sync: zone \"{}\" is {} here but {} on {}: its records are not synced with that"
                        + " node", zone.name(), describe(mine), describe(other), address());
            } else {
                outbox.addZone(zone, mine);
            }
        }
        // Online before the copy: a write that misses the snapshot is queued instead (writers
        // already see this link in the cluster's fan-out and drop changes while it is handshaking).
        setState(LinkState.SNAPSHOTTING);
        if (hello.takesDelta()) {
            sendResumes(ctx, hello.nodeId());
        }
        outbox.takeSnapshots(hello.takesDelta(), host.nowMillis(), host.clock().next().hlc());
        onlineSince = host.nowMillis();
        host.linkOnline(this);
        lastWriteProgress = host.nowMillis();
        if (hello.takesPings()) {
            heartbeat(); // a first PING right away, so the round trip is known from the start
        }
        intervalTimer = ctx.executor().scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        fill();
    }

    // ---- delta resync (doc/protocol.md 11.6) ---------------------------------------------------

    /**
     * Tells the peer, zone by zone, what to send: the changes since the last mark merged from it;
     * without one, the whole zone, or none of it while another link teaches the zone (11.7).
     */
    private void sendResumes(ChannelHandlerContext ctx, long peerId) {
        for (ZoneSession<?> s : outbox.sessions()) {
            long[] from = host.resumeMarks().resumeFrom(peerId, s.zone);
            if (from[1] != 0) {
                askedPart.add(s.zone.name());
                ctx.write(new Resume(s.signature, from[0], from[1]));
            } else if (host.teachers().asksNothing(this, s.zone, digestsRun(s))) {
                LOG.debug("zone_sync: asking {} for none of zone \"{}\": another peer teaches it", address(),
                        s.zone.name());
                askedPart.add(s.zone.name());
                ctx.write(Resume.nothing(s.signature));
            } else {
                ctx.write(Resume.whole(s.signature));
            }
        }
        ctx.flush();
    }

    /**
     * Whether the digests run on this link for the zone (11.5), so that they repair what a delta
     * (11.6) or an ask for nothing (11.7) leaves out: the zone stamps every change, digests are on
     * here, and the peer takes them.
     */
    private boolean digestsRun(ZoneSession<?> s) {
        return s.zone.stampsEveryChange() && digestIntervalMs > 0 && peer.takesDigests();
    }

    /**
     * The link that was teaching this node the zone closed first: this link, which asked for none
     * of it, now asks for all of it. Any thread.
     */
    void askWhole(ReplicatedZone<?> zone) {
        Channel c = channel;
        c.eventLoop().execute(() -> {
            ZoneSession<?> s = outbox.session(zone.name());
            if (state.online() && s != null && s.zone == zone) {
                LOG.info("zone_sync: the peer teaching zone \"{}\" to this node left before it was done: asking {}"
                        + " for the whole zone", zone.name(), address());
                c.writeAndFlush(Resume.whole(s.signature));
            }
        });
    }

    /**
     * The peer says what it holds of a zone: only the records stamped above its mark are sent when
     * the mark is of this copy of the zone, the zone stamps every change, and digests run on this
     * link (they repair what a delta leaves to other links, 11.6); when it asks for none (another
     * peer teaches it, 11.7), on the same conditions, only the records stamped within the digests'
     * reach; else the whole zone. A peer asked for none may ask once more, for the whole zone.
     */
    private void onResume(Resume m) {
        ZoneSession<?> s = outbox.session(m.zone().name());
        if (!state.online() || s == null || !s.signature.matches(m.zone())) {
            ignoredFrames++;
            return;
        }
        if (!s.awaitingResume) {
            // only a peer sent none of the zone may ask again, for all of it, once that answer is out
            if (m.full() && s.mayAskAgain && s.snapshotDone) {
                s.retakeWhole(host.nowMillis(), host.clock().next().hlc());
                fill();
            } else {
                ignoredFrames++;
            }
            return;
        }
        s.mayAskAgain = m.nothing();
        if (m.nothing() && digestsRun(s)) {
            // what the digests may not have compared yet goes now: a write still on its way to the
            // peer's teacher reaches it at once, older records by the digests
            long now = host.nowMillis();
            long recent = Stamp.hlc(now - digestIntervalMs - DigestExchange.GRACE_MS, 0);
            s.takeRecent(recent, now, host.clock().next().hlc());
            fill();
            return;
        }
        long since = 0;
        if (!m.full() && digestsRun(s) && m.epoch() == host.resumeMarks().epochOf(s.zone)) {
            since = m.since();
        } else if (m.nothing()) {
            LOG.info("zone_sync: {} asks for none of zone \"{}\", but the digests that would repair it do not run"
                    + " on this link: sending the whole zone", address(), s.zone.name());
        } else if (!m.full()) {
            LOG.info("zone_sync: {} asks for the changes of zone \"{}\" since its last mark, which cannot be"
                    + " trusted here: sending the whole zone", address(), s.zone.name());
        }
        s.takeSnapshot(since, host.nowMillis(), host.clock().next().hlc());
        fill();
    }

    /**
     * The peer asserts that this node holds its zone up to a stamp: remembered for the next link
     * with this incarnation of the peer, unless this link refused records (a refused record is not
     * held, and the mark would skip it).
     */
    private void onMark(Mark m) {
        ZoneSession<?> s = outbox.session(m.zone().name());
        if (!state.online() || s == null || !s.signature.matches(m.zone()) || !s.zone.stampsEveryChange()) {
            ignoredFrames++;
            return;
        }
        if (refusedRecords > 0) {
            host.resumeMarks().forget(peerNodeId(), s.zone.name());
            return;
        }
        host.resumeMarks().marked(peerNodeId(), s.zone, m.epoch(), m.hlc());
        if (!s.markReceived) {
            s.markReceived = true;
            LOG.info("zone_sync: {} marked zone \"{}\": if the link breaks, it resumes from there", address(),
                    s.zone.name());
        }
    }

    /** Every {@code zone_sync_interval}, to a peer that takes deltas: the marks this link may now assert. */
    private void sendMarks() {
        long now = host.nowMillis();
        long ceiling = host.clock().next().hlc();
        boolean wrote = false;
        for (ZoneSession<?> s : outbox.sessions()) {
            if (!s.zone.stampsEveryChange()) {
                continue;
            }
            long mark = s.markToSend(now, ceiling, MARK_GRACE_MS);
            if (mark != 0) {
                channel.write(new Mark(s.signature, host.resumeMarks().epochOf(s.zone), mark));
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** A zone type for a log line: its name where this node has a zone of that type, else its tag. */
    private String describe(ZoneSignature z) {
        for (ReplicatedZone<?> local : host.zones()) {
            if (local.type().tag() == z.typeTag()) {
                return local.type().name() + " codec v" + z.codecVersion();
            }
        }
        return "type " + z.typeTag() + " codec v" + z.codecVersion();
    }

    public static ZoneSignature signature(ReplicatedZone<?> zone) {
        return new ZoneSignature(zone.name(), zone.type().tag(), zone.type().codecVersion());
    }

    private void onRecords(RecordBatch batch) {
        if (!state.online() && state != LinkState.CLOSING) {
            return;
        }
        int size = FrameWriter.encodedSize(batch);
        host.countFrame(true, size);
        bytesReceived += size;
        ZoneSession<?> s = outbox.session(batch.zone().name());
        if (s == null || !s.signature.matches(batch.zone())) {
            ignoredFrames++;
            return;
        }
        long now = host.nowMillis();
        for (SyncRecord r : batch.records()) {
            if (r.stamp().millis() > now + DRIFT_BOUND_MS) {
                refusedRecords++;
                if (now - lastDriftLog >= DRIFT_LOG_INTERVAL_MS) {
                    lastDriftLog = now;
                    LOG.error("zone_sync: refused a record of zone \"{}\" from {} stamped {} ms ahead of our clock"
                            + " (bound {} ms); {} refused so far", s.zone.name(), address(),
                            r.stamp().millis() - now, DRIFT_BOUND_MS, refusedRecords);
                }
                continue;
            }
            if (r.ttlMillis() == 0) {
                continue; // already expired on the sender
            }
            host.clock().observe(r.stamp());
            s.zone.applyRemote(r.toZoneRecord());
            s.recordsReceived++;
        }
    }

    private void onGoodbye(Goodbye bye) {
        goodbyeReceived = true;
        closeReason = "it said goodbye (" + bye.reason().name().toLowerCase(Locale.ROOT) + ")";
        if (bye.reason() == GoodbyeReason.REMOVED) {
            host.refusedByPeer(this, "no longer lists this node");
        }
        setState(LinkState.CLOSING);
        if (!goodbyeSent) {
            goodbyeSent = true;
            sendAndClose(new Goodbye(GoodbyeReason.SHUTDOWN));
        } else {
            channel.close();
        }
    }

    private void onAbort(Abort abort) {
        String what = AbortCode.describe(abort.code());
        if (abort.code() == AbortCode.SELF_CONNECTION.code() || abort.code() == AbortCode.DUPLICATE_LINK.code()) {
            LOG.debug("zone_sync: {} closed the link: {} {}", address(), what, abort.text());
            closeReason = "it closed the link: " + what;
        } else {
            lastError = "peer aborted: " + what + ": " + abort.text();
            closeReason = lastError;
            LOG.error("zone_sync: {} aborted the link: {} {}", address(), what, abort.text());
            if (abort.code() == AbortCode.UNTRUSTED.code()) {
                host.refusedByPeer(this, "does not trust this node's certificate");
            }
        }
        setState(LinkState.CLOSING);
        channel.close();
    }

    private void abort(AbortCode code, String text) {
        setState(LinkState.CLOSING);
        sendAndClose(Abort.of(code, text));
    }

    /**
     * Sends a last frame and closes the socket once it has gone out, or after
     * {@link #CLOSE_LINGER_MS} if the socket takes nothing (a peer that does not read): a link
     * being closed must not stay half open, refusing the peer's next link as a duplicate.
     */
    private void sendAndClose(Object last) {
        Channel c = channel;
        c.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        c.eventLoop().schedule(() -> {
            c.close();
        }, CLOSE_LINGER_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                if (peer == null) {
                    failedBeforeHello(who() + " timed out (110: Connection timed out) while waiting for HELLO");
                } else {
                    lastError = "nothing received for zone_sync_timeout";
                    closeReason = lastError;
                    LOG.error("zone_sync: nothing received from {} for zone_sync_timeout, closing the link",
                            address());
                }
                abort(AbortCode.TIMEOUT, "nothing received for zone_sync_timeout");
            } else if (idle.state() == IdleState.WRITER_IDLE && state != LinkState.CLOSED) {
                heartbeat();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            fill();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException pe) {
            if (peer == null) {
                failedBeforeHello(who() + " sent invalid data (" + pe.getMessage() + ") while waiting for HELLO");
            } else {
                lastError = pe.getMessage();
                closeReason = "protocol error";
                LOG.error("zone_sync: protocol error from {}: {}; link closed", address(), pe.getMessage());
            }
        } else if (isTls(cause)) {
            String why = HandshakeFailure.describe(cause);
            if (peer == null) {
                failedBeforeHello(HandshakeFailure.nginxWords(why, outbound ? address() : null));
            } else {
                lastError = "TLS: " + why;
                closeReason = lastError;
                LOG.error("zone_sync: TLS error on the link to {}: {}; link closed", address(), why);
            }
        } else if (cause instanceof IOException) {
            String why = "connection failed (" + ErrnoText.ofSocket(cause) + ")";
            if (peer == null) {
                failedBeforeHello(why + " while waiting for HELLO");
            } else {
                lastError = why;
                closeReason = why;
            }
        } else {
            lastError = cause.toString();
            LOG.error("zone_sync: link to {} failed", address(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state.online()) {
            owedAtClose = oldestOwed();
        }
        setState(LinkState.CLOSED);
        if (intervalTimer != null) {
            intervalTimer.cancel(false);
        }
        digests.stop();
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        outbox.clear();
        delivery.clear();
        host.teachers().linkClosed(this);
        if (peer == null) {
            failedBeforeHello(who() + " closed connection while waiting for HELLO");
        } else if (closeReason == null) {
            closeReason = goodbyeSent ? "closed after GOODBYE" : "connection closed by peer";
        }
        host.linkClosed(this);
        ctx.fireChannelInactive();
    }

    /**
     * Keeps the peer's idle check quiet (protocol.md 3.3): a PING when the peer answers them, so the
     * heartbeats time the round trip, a plain HEARTBEAT otherwise. A PING still unanswered is
     * replaced by the new one, which times from its own sending.
     */
    private void heartbeat() {
        Hello p = peer;
        if (p == null || !p.takesPings()) {
            channel.writeAndFlush(Heartbeat.INSTANCE);
            return;
        }
        ping();
    }

    /** Sends a PING after everything written so far: its PONG times the round trip and confirms those records. */
    private void ping() {
        pingToken = ++pingsSent;
        pingSentAt = host.nanoTime();
        delivery.pingSent();
        channel.writeAndFlush(new Ping(pingToken));
    }

    /**
     * After records went out (protocol.md 3.4): a PING follows them unless one is awaiting its
     * PONG already (then the PONG calls this again), at most one per {@link #PING_SPACING_NANOS};
     * so a busy link confirms its records and times its round trip about once a round trip.
     */
    private void pingAfterRecords() {
        Hello p = peer;
        if (p == null || !p.takesPings() || !state.online() || pingToken != 0 || !delivery.unpinged()
                || pingTimer != null) {
            return;
        }
        long wait = PING_SPACING_NANOS - (host.nanoTime() - pingSentAt);
        if (wait <= 0) {
            ping();
            return;
        }
        pingTimer = channel.eventLoop().schedule(() -> {
            pingTimer = null;
            pingAfterRecords();
        }, wait, TimeUnit.NANOSECONDS);
    }

    /** A PONG: the round trip of the PING it echoes; one for no PING awaiting is ignored. */
    private void onPong(Pong pong) {
        if (pingToken == 0 || pong.token() != pingToken) {
            ignoredFrames++;
            return;
        }
        pingToken = 0;
        rttNanos = Math.max(0, host.nanoTime() - pingSentAt);
        delivery.ponged();
        pingAfterRecords();
    }

    /** The other end as nginx names it: a client of our listener, or the peer we dialled. */
    private String who() {
        return outbound ? "peer" : "client";
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    // ---- sending -----------------------------------------------------------------------------

    private void requestFill() {
        Channel c = channel;
        if (c != null && fillScheduled.compareAndSet(false, true)) {
            c.eventLoop().execute(() -> {
                fillScheduled.set(false);
                fill();
            });
        }
    }

    /**
     * Every {@code zone_sync_interval}: a link whose socket has taken nothing for
     * {@code zone_sync_timeout} while bytes wait (a peer that heartbeats but never reads), or whose
     * peer owes a RESUME past {@code zone_sync_connect_timeout}, is closed like one that sends
     * nothing; otherwise a PING goes out if a heartbeat period passed without one, then whatever is
     * pending, then the marks the link may now assert.
     */
    private void tick() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        long now = host.nowMillis();
        long waiting = buf == null ? 0 : buf.totalPendingWriteBytes();
        int head = buf == null ? 0 : System.identityHashCode(buf.current());
        long headProgress = buf == null ? 0 : buf.currentProgress();
        if (waiting == 0 || head != lastWriteHead || headProgress != lastWriteHeadProgress) {
            lastWriteProgress = now;
        }
        lastWriteHead = head;
        lastWriteHeadProgress = headProgress;
        if (waiting > 0 && now - lastWriteProgress >= timeoutMs && state.online()) {
            lastError = "nothing could be sent for zone_sync_timeout";
            closeReason = lastError;
            LOG.error("zone_sync: {} has taken nothing for zone_sync_timeout ({} bytes waiting), closing the link",
                    address(), waiting);
            abort(AbortCode.TIMEOUT, "nothing could be sent for zone_sync_timeout");
            return;
        }
        String noResume = state.online() && now - onlineSince >= helloTimeoutMs ? outbox.zoneAwaitingResume() : null;
        if (noResume != null) {
            lastError = "no RESUME for zone \"" + noResume + "\" within zone_sync_connect_timeout";
            closeReason = lastError;
            LOG.error("zone_sync: {} sent no RESUME for zone \"{}\" within zone_sync_connect_timeout ({} ms) of its"
                    + " HELLO, closing the link", address(), noResume, helloTimeoutMs);
            abort(AbortCode.TIMEOUT, lastError);
            return;
        }
        Hello p = peer;
        if (p != null && p.takesPings() && state.online() && host.nanoTime() - pingSentAt >= heartbeatNanos) {
            ping(); // busy or not, the round trip is timed at least once a heartbeat period
        }
        fill();
        if (state.online() && !quitting && peer.takesDelta()) {
            sendMarks();
        }
    }

    /**
     * Writes RECORDS frames while the socket takes them (see {@link LinkOutbox#fill}); when this
     * node's snapshots are complete the link is LIVE, and when a QUIT or reload has nothing left to
     * send, GOODBYE goes out. Runs on the event loop.
     */
    void fill() {
        if (!state.online() || channel == null) {
            return;
        }
        try {
            outbox.fill(channel, address());
            pingAfterRecords();
        } catch (RuntimeException e) {
            // A bug in packing must not leave the link silently stuck (nor kill its interval timer):
            // close it, say why, and let the retry and the next snapshot recover.
            lastError = "internal error while sending: " + e;
            LOG.error("zone_sync: internal error while sending to {}; link closed", address(), e);
            abort(AbortCode.INTERNAL, "internal error while sending");
            return;
        }
        if (state == LinkState.SNAPSHOTTING && outbox.snapshotsDone()) {
            setState(LinkState.LIVE);
            digests.start(channel, peer.takesDigests());
        }
        if (quitting && !goodbyeSent && outbox.allSent()) {
            goodbyeSent = true;
            setState(LinkState.CLOSING);
            channel.writeAndFlush(new Goodbye(goodbyeReason));
        }
    }

    private String address() {
        return peerAddress();
    }

    /**
     * The peer's sync listener as its HELLO names it, in the "host:port" forms a dialer or a list
     * key may know it by: as written (unless a wildcard), and with the host the connection came
     * from (a listener on a name or a wildcard), the best first. Empty before the HELLO, when it
     * names none, or names one that cannot be read.
     */
    public List<String> listenAddresses() {
        Hello p = peer;
        Channel c = channel;
        if (p == null || p.advertised().isEmpty()) {
            return List.of();
        }
        try {
            Endpoint listener = Endpoint.parse(p.advertised(), -1, false);
            List<String> out = new ArrayList<>(2);
            if (!listener.isWildcard()) {
                out.add(listener.toString());
            }
            if (!listener.isUnix() && c != null && c.remoteAddress() instanceof InetSocketAddress inet) {
                out.add(AddressText.hostPort(
                        new InetSocketAddress(inet.getAddress(), listener.port())));
            }
            return out;
        } catch (Endpoint.ParseException e) {
            return List.of();
        }
    }

    /**
     * The peer as an operator knows it: for an inbound link whose HELLO named the peer's sync
     * listener, that address (its host taken from the socket when the listener is a wildcard)
     * rather than the ephemeral port it dialled from; otherwise the socket's remote address.
     */
    public String peerAddress() {
        String known = addressText;
        if (known != null) {
            return known;
        }
        String a = describePeer();
        Channel c = channel;
        if (c != null && c.remoteAddress() != null && (outbound || peer != null)) {
            addressText = a; // settled: the socket is connected and, inbound, the HELLO has named the peer
        }
        return a;
    }

    private String describePeer() {
        if (!outbound) {
            List<String> listener = listenAddresses();
            if (!listener.isEmpty()) {
                return listener.get(0);
            }
        }
        Channel c = channel;
        SocketAddress remote = c == null ? null : c.remoteAddress();
        return remote == null ? "peer" : AddressText.hostPort(remote);
    }

    @Override
    public String toString() {
        return (outbound ? "outbound" : "inbound") + " link " + address() + " " + state;
    }

    static List<ZoneSignature> catalog(Collection<ReplicatedZone<?>> zones) {
        List<ZoneSignature> out = new ArrayList<>();
        for (ReplicatedZone<?> z : zones) {
            out.add(signature(z));
        }
        return out;
    }
}
