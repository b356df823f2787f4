package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.zonesync.sync.proto.Digest;
import io.zonesync.sync.proto.Heartbeat;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Ping;
import io.zonesync.sync.proto.Pong;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.sync.proto.SnapshotBegin;
import io.zonesync.sync.proto.SnapshotEnd;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-peer figures a link keeps for the status (state since, last seen, heartbeat round trip),
 * driven frame by frame on an EmbeddedChannel with a fake wall clock and a fake monotonic clock.
 */
class PeerLinkFiguresTest {
    private static final long PEER = 0x2222L;

    /** A cluster of one link: accepts every HELLO, with clocks the test moves. */
    private static final class FakeHost implements LinkHost {
        long wall = 1_767_225_600_000L;
        long nanos = 5_000_000_000L;
        final List<String> events = new ArrayList<>();
        final List<ReplicatedZone<?>> zones = new ArrayList<>();
        final Teachers teachers = new Teachers();

        @Override
        public Hello localHello() {
            return Hello.of(0x1111L, wall, 65_536, 30_000, "127.0.0.1:9000", List.of());
        }

        @Override
        public Collection<ReplicatedZone<?>> zones() {
            return zones;
        }

        final Map<String, ChangeLog<?>> logs = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <K> ChangeLog<K> changes(ReplicatedZone<K> zone) {
            return (ChangeLog<K>) logs.computeIfAbsent(zone.name(), n -> new ChangeLog<>());
        }

        @Override
        public StampSource clock() {
            return new StampSource() {
                @Override
                public Stamp next() {
                    return new Stamp(Stamp.hlc(wall, 0), 0x1111L);
                }

                @Override
                public void observe(Stamp remote) {
                }
            };
        }

        @Override
        public long nowMillis() {
            return wall;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public HelloVerdict helloReceived(PeerLink link, Hello peer) {
            return HelloVerdict.ACCEPT;
        }

        @Override
        public void linkOnline(PeerLink link) {
            events.add("online");
        }

        @Override
        public void linkClosed(PeerLink link) {
            events.add("closed");
        }

        @Override
        public void refusedByPeer(PeerLink link, String why) {
        }

        @Override
        public boolean firstClash(long peerNodeId, String zone) {
            return true;
        }

        @Override
        public ZoneDigests digests() {
            return new ZoneDigests();
        }

        @Override
        public ResumeMarks resumeMarks() {
            return new ResumeMarks();
        }

        @Override
        public Teachers teachers() {
            return teachers;
        }

        @Override
        public void countFrame(boolean inbound, int bytes) {
        }

        @Override
        public void snapshotSent(String zone, long nanos) {
            events.add("sent " + zone + " in " + nanos);
        }

        @Override
        public void snapshotReceived(String zone, long nanos) {
            events.add("received " + zone + " in " + nanos);
        }
    }

    /** The type of the zone on the link: its records are stamped on the host's clock (RecordsZone.put). */
    private static final ZoneType TYPE = new ZoneType("test", 99, 1);

    private final FakeHost host = new FakeHost();
    private final PeerLink link = new PeerLink(host, true, new LinkSettings(65_536, 1000, 30_000, 5000, 0));
    private final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
    });

    private void connect() {
        ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast(link);
        ch.pipeline().fireChannelActive();
        assertThat((Object) ch.readOutbound()).isInstanceOf(Hello.class);
    }

    /** A peer without delta resync: the link sends its snapshot at once, without waiting for a RESUME (protocol.md 11.6). */
    private static final int NO_DELTA = Protocol.HELLO_FLAGS & ~Protocol.HELLO_FLAG_DELTA;

    private static Hello peerHello(int flags) {
        return peerHello(flags, List.of());
    }

    private static Hello peerHello(int flags, List<ZoneSignature> catalog) {
        return new Hello(Protocol.VERSION, PEER, 1_767_225_600_000L, 65_536, 30_000, "127.0.0.2:9000", catalog,
                flags);
    }

    private List<Ping> pings() {
        List<Ping> out = new ArrayList<>();
        for (Object o : sent()) {
            if (o instanceof Ping p) {
                out.add(p);
            }
        }
        return out;
    }

    private List<Object> sent() {
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            out.add(o);
        }
        return out;
    }

    @Test
    void theFirstPingGoesOutWhenTheLinkComesOnlineAndItsPongGivesTheRoundTrip() {
        connect();
        assertThat(link.rttNanos()).isEqualTo(-1);
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        assertThat(sent()).containsExactly(new Ping(1));

        host.nanos += 1_250_000;
        ch.writeInbound(new Pong(1));
        assertThat(link.rttNanos()).isEqualTo(1_250_000);
    }

    @Test
    void aPongThatAnswersNoPingAwaitingIsIgnored() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        host.nanos += 7_000_000;
        ch.writeInbound(new Pong(42));
        assertThat(link.rttNanos()).isEqualTo(-1);
        ch.writeInbound(new Pong(1));
        assertThat(link.rttNanos()).isEqualTo(7_000_000);
        host.nanos += 1_000_000;
        ch.writeInbound(new Pong(1)); // answered already: a repeat must not move the figure
        assertThat(link.rttNanos()).isEqualTo(7_000_000);
    }

    @Test
    void eachHeartbeatIsAPingWhoseRoundTripReplacesTheLast() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        ch.writeInbound(new Pong(1));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(sent()).containsExactly(new Ping(2));
        host.nanos += 300_000;
        ch.writeInbound(new Pong(2));
        assertThat(link.rttNanos()).isEqualTo(300_000);
    }

    @Test
    void aPeerThatDoesNotTakePingsGetsPlainHeartbeatsAndHasNoRoundTrip() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAG_DIGESTS));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(sent()).containsExactly(Heartbeat.INSTANCE);
        assertThat(link.rttNanos()).isEqualTo(-1);
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsToken() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        ch.writeInbound(new Ping(0x0123_4567_89AB_CDEFL));
        assertThat(sent()).containsExactly(new Pong(0x0123_4567_89AB_CDEFL));
    }

    @Test
    void stateSinceAndLastSeenFollowTheHostClock() {
        long created = host.wall;
        connect();
        assertThat(link.stateSince()).isEqualTo(created);
        assertThat(link.lastReadAt()).isZero();

        host.wall += 2000;
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        assertThat(link.state().online()).isTrue();
        assertThat(link.stateSince()).isEqualTo(created + 2000);
        assertThat(link.lastReadAt()).isEqualTo(created + 2000);

        host.wall += 3000;
        ch.writeInbound(Heartbeat.INSTANCE);
        assertThat(link.lastReadAt()).isEqualTo(created + 5000);
        assertThat(link.stateSince()).as("a heartbeat does not change the state").isEqualTo(created + 2000);

        host.wall += 4000;
        ch.close();
        assertThat(link.state()).isEqualTo(LinkState.CLOSED);
        assertThat(link.stateSince()).isEqualTo(created + 9000);
        assertThat(link.lastReadAt()).isEqualTo(created + 5000);
        assertThat(host.events).containsExactly("online", "closed");
    }

    // ---- replication lag (PeerLink#replicationLagMillis) ---------------------------------------

    /** A local write's notice, as the cluster gives it: the key logged, then the link told. */
    private void logChange(String key) {
        @SuppressWarnings("unchecked")
        ChangeLog<String> log = (ChangeLog<String>) host.logs.get("z");
        log.append(key, host.wall);
        link.changeLogged();
    }

    private RecordsZone linkedZone() {
        RecordsZone zone = new RecordsZone("z", TYPE);
        zone.put("a", host.clock().next());
        host.zones.add(zone);
        connect();
        return zone;
    }

    @Test
    void theSnapshotIsOwedSinceItWasTakenUntilThePongOfAPingSentAfterIt() {
        linkedZone();
        assertThat(link.replicationLagMillis()).as("no link online yet").isEqualTo(-1);
        long taken = host.wall;
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(host.zones.get(0)))));
        // the first PING went out before the snapshot: its PONG confirms nothing of it
        assertThat(pings()).containsExactly(new Ping(1));
        host.wall += 500;
        assertThat(link.replicationLagMillis()).isEqualTo(500);

        host.nanos += PeerLink.PING_SPACING_NANOS;
        host.wall += 20;
        ch.writeInbound(new Pong(1));
        assertThat(link.replicationLagMillis()).isEqualTo(host.wall - taken);
        assertThat(pings()).as("a PING follows the records at once, the last one answered").containsExactly(
                new Ping(2));
        host.wall += 30;
        assertThat(link.replicationLagMillis()).isEqualTo(550);
        ch.writeInbound(new Pong(2));
        assertThat(link.replicationLagMillis()).isZero();
    }

    /** Whether the snapshot's copy is still reachable, after asking for a collection until it is not. */
    private static boolean released(RecordsZone zone) {
        System.gc();
        return zone.lastSnapshot.get() == null;
    }

    @Test
    void aSentSnapshotsCopyIsLetGoWhileTheLinkLives() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        assertThat(sent()).anyMatch(SnapshotEnd.class::isInstance);
        assertThat(link.state().online()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> released(zone));
    }

    @Test
    void aClosedLinksUnfinishedSnapshotCopyIsLetGoThoughTheLinkIsStillReferenced() {
        RecordsZone zone = new RecordsZone("z", TYPE) {
            @Override
            public Iterator<ZoneRecord> snapshot() {
                Iterator<ZoneRecord> copy = super.snapshot();
                return new Iterator<>() { // the peer goes away a few frames into the snapshot
                    private int taken;

                    @Override
                    public boolean hasNext() {
                        return copy.hasNext();
                    }

                    @Override
                    public ZoneRecord next() {
                        if (++taken == 10_000) {
                            ch.close();
                        }
                        return copy.next();
                    }
                };
            }
        };
        for (int i = 0; i < 20_000; i++) { // several frames' worth
            zone.put("key-" + i, host.clock().next());
        }
        host.zones.add(zone);
        connect();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        ch.runPendingTasks();
        assertThat(host.events).contains("closed");
        assertThat(sent()).noneMatch(SnapshotEnd.class::isInstance);
        await().atMost(Duration.ofSeconds(10)).until(() -> released(zone));
    }

    /** A peer's summary DIGEST of zone "z" that differs from anything this node holds; what the link answers. */
    private List<Digest> answerToADifferingSummary(RecordsZone zone) {
        sent();
        ch.writeInbound(new Digest(PeerLink.signature(zone), 1_767_225_500_000L, 0, 0, new long[] {42}));
        for (int i = 0; i < 100; i++) { // the digest is computed in scheduled steps
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
        List<Digest> out = new ArrayList<>();
        for (Object o : sent()) {
            if (o instanceof Digest d) {
                out.add(d);
            }
        }
        return out;
    }

    @Test
    void aSummaryThatDiffersIsAnsweredWithBucketHashesWhenTheLinkOwesThePeerNothing() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        assertThat(answerToADifferingSummary(zone)).isNotEmpty().allMatch(d -> !d.summary());
    }

    @Test
    void aSummaryIsLeftUnansweredWhileTheLinkStillOwesThePeerTheZone() {
        RecordsZone zone = linkedZone();
        // a peer that takes deltas: the snapshot waits for its RESUME, so the zone is owed
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS, List.of(PeerLink.signature(zone))));
        assertThat(answerToADifferingSummary(zone)).isEmpty();
    }

    @Test
    void aChangeIsOwedSinceItWasFirstQueuedThroughItsSendingUntilConfirmed() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        host.nanos += PeerLink.PING_SPACING_NANOS;
        ch.writeInbound(new Pong(1));
        ch.writeInbound(new Pong(2));
        sent();
        assertThat(link.replicationLagMillis()).isZero();

        host.wall += 10_000;
        zone.put("b", host.clock().next());
        logChange("b");
        host.wall += 300;
        zone.put("b", host.clock().next());
        logChange("b"); // changed again before it went out: still owed since the first change
        host.wall += 200;
        assertThat(link.replicationLagMillis()).as("queued, not yet written").isEqualTo(500);
        host.nanos += PeerLink.PING_SPACING_NANOS;
        ch.runPendingTasks();
        assertThat(pings()).containsExactly(new Ping(3));
        host.wall += 100;
        assertThat(link.replicationLagMillis()).as("written, PING 3 unanswered").isEqualTo(600);
        ch.writeInbound(new Pong(3));
        assertThat(link.replicationLagMillis()).isZero();
    }

    @Test
    void recordsWrittenWhileAPingIsUnansweredWaitForTheNextPingsPong() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        host.nanos += PeerLink.PING_SPACING_NANOS;
        ch.writeInbound(new Pong(1));
        sent(); // PING 2 after the snapshot, unanswered
        host.wall += 1000;
        long queued = host.wall;
        zone.put("c", host.clock().next());
        logChange("c");
        ch.runPendingTasks();
        assertThat(pings()).as("PING 2 awaits its PONG: no other").isEmpty();
        host.wall += 40;
        host.nanos += PeerLink.PING_SPACING_NANOS;
        ch.writeInbound(new Pong(2)); // confirms the snapshot, not "c"
        assertThat(link.replicationLagMillis()).isEqualTo(host.wall - queued);
        assertThat(pings()).containsExactly(new Ping(3));
        ch.writeInbound(new Pong(3));
        assertThat(link.replicationLagMillis()).isZero();
    }

    @Test
    void withAPeerThatAnswersNoPingsRecordsCountAsReceivedOnceWritten() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAG_DIGESTS, List.of(PeerLink.signature(zone))));
        assertThat(pings()).isEmpty();
        host.wall += 700;
        assertThat(link.replicationLagMillis()).isZero();
        zone.put("d", host.clock().next());
        logChange("d");
        host.wall += 50;
        assertThat(link.replicationLagMillis()).isEqualTo(50);
        ch.runPendingTasks();
        assertThat(link.replicationLagMillis()).isZero();
    }

    @Test
    void aBusyLinkStillPingsOnceAHeartbeatPeriodFromItsIntervalTimer() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        assertThat(pings()).containsExactly(new Ping(1));
        // PING 1 unanswered (a busy link's writer is never idle); 30 s timeout: heartbeat period 10 s
        host.nanos += 9_000_000_000L;
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(pings()).isEmpty();
        host.nanos += 1_000_000_000L;
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(pings()).containsExactly(new Ping(2));
        host.nanos += 2_000_000;
        ch.writeInbound(new Pong(2));
        assertThat(link.rttNanos()).isEqualTo(2_000_000);
    }

    @Test
    void aPeersSnapshotIsTimedFromItsBeginToItsEndOnTheMonotonicClock() {
        RecordsZone zone = linkedZone();
        ch.writeInbound(peerHello(NO_DELTA, List.of(PeerLink.signature(zone))));
        ZoneSignature sig = PeerLink.signature(zone);
        ch.writeInbound(new SnapshotBegin(sig));
        host.nanos += 2_500_000_000L;
        ch.writeInbound(new SnapshotEnd(sig, 0));
        assertThat(host.events).contains("sent z in 0", "received z in 2500000000");
    }
}
