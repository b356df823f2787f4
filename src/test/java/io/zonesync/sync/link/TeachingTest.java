package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.sync.proto.Digest;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Mark;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.sync.proto.RecordBatch;
import io.zonesync.sync.proto.Resume;
import io.zonesync.sync.proto.SnapshotBegin;
import io.zonesync.sync.proto.SnapshotEnd;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A joining node taught by one peer (doc/protocol.md 11.7), frame by frame on EmbeddedChannels:
 * the links of one node share its {@link Teachers}, so the first asks for the whole zone and the
 * others for none; digests wait until the zone is taught; a teacher that leaves first is replaced.
 * And the sender's side: an ask for none gets an empty snapshot and no mark, then, once, the whole
 * zone if asked again.
 */
class TeachingTest {
    private static final long T0 = TestLinkHost.T0;
    private static final int INTERVAL = 1000;
    private static final ZoneSignature ONE = new ZoneSignature("one", 1, 1);

    private static RecordsZone zoneOf(int n) {
        RecordsZone zone = new RecordsZone("one", new ZoneType("test", 1, 1));
        for (int i = 0; i < n; i++) {
            zone.put("k" + i, new Stamp(Stamp.hlc(T0 + i, 0), 0x1111L));
        }
        return zone;
    }

    /** One link of the node under test, to peer {@code peerId}, on its own channel. */
    private static final class Link {
        final PeerLink link;
        final EmbeddedChannel ch;

        Link(TestLinkHost host, long digestIntervalMs) {
            link = new PeerLink(host, true, new LinkSettings(65_536, INTERVAL, 30_000, 5000, digestIntervalMs));
            ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            });
            ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new ChannelInboundHandlerAdapter());
            ch.pipeline().addLast(link);
            ch.pipeline().fireChannelActive();
            assertThat((Object) ch.readOutbound()).isInstanceOf(Hello.class);
        }

        /** The peer's HELLO; returns what the link wrote in reply. */
        List<Object> hello(long peerId) {
            ch.writeInbound(new Hello(Protocol.VERSION, peerId, T0, 65_536, 30_000, "127.0.0." + peerId + ":9000",
                    List.of(ONE), Protocol.HELLO_FLAGS));
            return written();
        }

        /** Frames the link wrote, RECORDS as raw buffers (released). */
        List<Object> written() {
            ch.runPendingTasks();
            List<Object> out = new ArrayList<>();
            for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
                if (o instanceof ByteBuf b) {
                    out.add(RecordBatch.class);
                    b.release();
                } else {
                    out.add(o);
                }
            }
            return out;
        }

        /** The peer's snapshot of the zone, {@code records} long (their frames left out). */
        void snapshotOf(long records) {
            ch.writeInbound(new SnapshotBegin(ONE));
            ch.writeInbound(new SnapshotEnd(ONE, records));
        }
    }

    private final RecordsZone zone = zoneOf(100);
    private final TestLinkHost host = new TestLinkHost(zone, new ResumeMarks());

    @Test
    void theFirstPeerTeachesAJoiningNodeAndTheOthersAreAskedForNone() {
        assertThat(new Link(host, 10_000).hello(2)).contains(Resume.whole(ONE));
        assertThat(new Link(host, 10_000).hello(3)).contains(Resume.nothing(ONE));
        assertThat(new Link(host, 10_000).hello(4)).contains(Resume.nothing(ONE));
    }

    @Test
    void onceTaughtTheNodeAsksAPeerItHoldsNoMarkOfForNoneToo() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link other = new Link(host, 10_000);
        other.hello(3);
        other.snapshotOf(0);
        assertThat(host.teachers.beingTaught(zone)).as("an empty answer to an ask for none teaches nothing").isTrue();
        teacher.snapshotOf(100);
        assertThat(host.teachers.beingTaught(zone)).isFalse();
        assertThat(new Link(host, 10_000).hello(4)).contains(Resume.nothing(ONE));
    }

    @Test
    void onlyWholeSnapshotsAreTimedAsReceivedNotTheEmptyAnswers() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link other = new Link(host, 10_000);
        other.hello(3);
        other.snapshotOf(0);
        assertThat(host.wholeSnapshotsReceived).isZero();
        teacher.ch.close();
        other.written();
        other.snapshotOf(100); // the answer to its second ask, for the whole zone
        assertThat(host.wholeSnapshotsReceived).isEqualTo(1);
    }

    @Test
    void withoutDigestsEveryPeerIsAskedForTheWholeZone() {
        new Link(host, 0).hello(2);
        assertThat(new Link(host, 0).hello(3)).contains(Resume.whole(ONE)).doesNotContain(Resume.nothing(ONE));
    }

    @Test
    void aZoneThatChangesRecordsWithoutANewStampIsAskedWholeOfEveryPeer() {
        zone.stampsEveryChange(false);
        new Link(host, 10_000).hello(2);
        assertThat(new Link(host, 10_000).hello(3)).contains(Resume.whole(ONE));
    }

    @Test
    void anAnswerToAnAskForNoneTeachesNothingEvenAWholeOne() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link other = new Link(host, 10_000);
        other.hello(3);
        other.snapshotOf(100); // its recent records, or the whole zone where its digests are off
        assertThat(host.teachers.beingTaught(zone)).isTrue();
        teacher.snapshotOf(100);
        assertThat(host.teachers.beingTaught(zone)).isFalse();
    }

    @Test
    void digestsOfAZoneBeingTaughtAreNeitherSentNorAnswered() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link other = new Link(host, 10_000);
        other.hello(3);
        other.snapshotOf(0);
        other.ch.writeInbound(Resume.whole(ONE)); // the peer asks for this node's zone
        other.written();
        assertThat(other.link.state()).isEqualTo(LinkState.LIVE);
        Digest differs = new Digest(ONE, T0, 0, 0, new long[] {12345});

        other.ch.writeInbound(differs);
        assertThat(other.written()).as("being taught: unanswered").noneMatch(o -> o instanceof Digest);
        tick(other, 15);
        assertThat(other.written()).as("no rounds of its own").noneMatch(o -> o instanceof Digest);

        teacher.snapshotOf(100);
        other.ch.writeInbound(differs);
        assertThat(other.written()).as("taught: answered with bucket hashes").anyMatch(o -> o instanceof Digest);
        tick(other, 15);
        assertThat(other.written()).as("and its own rounds run").anyMatch(o -> o instanceof Digest d && d.summary());
    }

    @Test
    void whenTheTeacherLeavesFirstAPeerAlreadyAnsweredIsAskedForTheWholeZone() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link other = new Link(host, 10_000);
        other.hello(3);
        other.snapshotOf(0);

        teacher.ch.close();
        assertThat(other.written()).containsExactly(Resume.whole(ONE));
        assertThat(host.teachers.beingTaught(zone)).isTrue();
        other.snapshotOf(100);
        assertThat(host.teachers.beingTaught(zone)).isFalse();
    }

    @Test
    void whenTheTeacherLeavesBeforeAnyOtherAnswerTheFirstAnswerToEndAsksForTheWholeZone() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        Link second = new Link(host, 10_000);
        second.hello(3);
        Link third = new Link(host, 10_000);
        third.hello(4);

        teacher.ch.close();
        assertThat(second.written()).isEmpty();
        third.snapshotOf(0);
        assertThat(third.written()).containsExactly(Resume.whole(ONE));
        second.snapshotOf(0);
        assertThat(second.written()).as("one teacher at a time").isEmpty();
    }

    @Test
    void whenTheTeacherLeavesAndNoOtherLinkIsLeftTheNextLinkTeaches() {
        Link teacher = new Link(host, 10_000);
        teacher.hello(2);
        teacher.ch.close();
        assertThat(new Link(host, 10_000).hello(3)).contains(Resume.whole(ONE));
    }

    // ---- the sending side ---------------------------------------------------------------------

    @Test
    void aPeerAskingForNoneIsSentOnlyTheRecordsTheDigestsMayNotHaveComparedAndNoMark() {
        host.wall = T0 + 60_000; // the zone's records, a minute old, are compared by the next digest round
        // stamped 14 s ago: within a digest interval (10 s) and its grace (5 s), it may still be on
        // its way to the peer's teacher
        zone.put("recent", new Stamp(Stamp.hlc(host.wall - 14_000, 0), 0x3333L));
        Link l = new Link(host, 10_000);
        l.hello(2);
        l.ch.writeInbound(Resume.nothing(ONE));
        List<Object> out = l.written();
        assertThat(out).containsExactly(new SnapshotBegin(ONE), RecordBatch.class, new SnapshotEnd(ONE, 1));
        assertThat(l.link.state()).isEqualTo(LinkState.LIVE);
        tick(l, 5);
        assertThat(l.written()).noneMatch(o -> o instanceof Mark);
    }

    @Test
    void aPeerSentNoneIsMarkedOnceItsDigestMatchesOursPastWhatWeHeldThen() {
        Link l = new Link(host, 10_000);
        l.hello(2);
        l.snapshotOf(100); // this node is taught: it answers digests
        long heldUpTo = host.hlc >>> 16; // the ceiling read at the answer is just above this
        l.ch.writeInbound(Resume.nothing(ONE));
        l.written();
        long[] ours = new long[2];
        for (int i = 0; i < 2; i++) {
            int at = i;
            new ZoneDigests().request(zone, heldUpTo - 1 + i, l.ch.eventLoop(), d -> ours[at] = d.summary());
            l.ch.runPendingTasks();
        }
        assertThat(ours[0]).isNotZero();

        l.ch.writeInbound(new Digest(ONE, heldUpTo - 1, 0, 0, new long[] {ours[0]}));
        l.ch.runPendingTasks();
        tick(l, 5);
        assertThat(l.written()).as("the same, but at a cutoff before what we held").noneMatch(o -> o instanceof Mark);

        l.ch.writeInbound(new Digest(ONE, heldUpTo, 0, 0, new long[] {ours[1]}));
        l.ch.runPendingTasks();
        tick(l, 5);
        assertThat(l.written()).anyMatch(o -> o instanceof Mark);
    }

    @Test
    void aPeerSentNoneMayAskOnceMoreForTheWholeZone() {
        Link l = new Link(host, 10_000);
        l.hello(2);
        l.ch.writeInbound(Resume.nothing(ONE));
        l.written();

        l.ch.writeInbound(Resume.whole(ONE));
        List<Object> out = l.written();
        assertThat(out).startsWith(new SnapshotBegin(ONE)).endsWith(new SnapshotEnd(ONE, 100)).contains(RecordBatch.class);
        tick(l, 5);
        assertThat(l.written()).as("a whole snapshot sent: marks again").anyMatch(o -> o instanceof Mark);

        l.ch.writeInbound(Resume.whole(ONE));
        assertThat(l.written()).as("a third RESUME").doesNotContain(new SnapshotBegin(ONE));
    }

    @Test
    void aSecondResumeIsIgnoredAfterAWholeSnapshot() {
        Link l = new Link(host, 10_000);
        l.hello(2);
        l.ch.writeInbound(Resume.whole(ONE));
        assertThat(l.written()).endsWith(new SnapshotEnd(ONE, 100));
        l.ch.writeInbound(Resume.whole(ONE));
        assertThat(l.written()).doesNotContain(new SnapshotBegin(ONE));
    }

    @Test
    void aPeerAskingForNoneWhereDigestsAreOffIsSentTheWholeZoneAndMayStillAskForItAgain() {
        Link l = new Link(host, 0);
        l.hello(2);
        l.ch.writeInbound(Resume.nothing(ONE));
        assertThat(l.written()).endsWith(new SnapshotEnd(ONE, 100));
        // it cannot tell a whole empty zone from none of it, and may have lost its teacher since
        l.ch.writeInbound(Resume.whole(ONE));
        assertThat(l.written()).startsWith(new SnapshotBegin(ONE)).endsWith(new SnapshotEnd(ONE, 100));
    }

    /** Moves the host's clock and the link's timers one interval {@code n} times. */
    private void tick(Link l, int n) {
        for (int i = 0; i < n; i++) {
            host.wall += INTERVAL;
            l.ch.advanceTimeBy(INTERVAL, TimeUnit.MILLISECONDS);
            l.ch.runScheduledPendingTasks();
        }
    }
}
