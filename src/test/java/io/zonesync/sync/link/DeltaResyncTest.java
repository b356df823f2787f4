package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.sync.proto.Abort;
import io.zonesync.sync.proto.AbortCode;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Mark;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.sync.proto.RecordBatch;
import io.zonesync.sync.proto.Resume;
import io.zonesync.sync.proto.SnapshotEnd;
import io.zonesync.sync.proto.SyncRecord;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Delta resync on one link, frame by frame on an EmbeddedChannel (doc/protocol.md 11.6): the HELLO
 * flag decides whether a RESUME is sent and awaited, a RESUME is honoured only when it can be
 * trusted (this copy of the zone, a zone that stamps every change, digests on both sides), and a
 * MARK goes out only when nothing is owed and its grace has passed.
 */
class DeltaResyncTest {
    private static final long PEER = 0x2222L;
    private static final long T0 = TestLinkHost.T0;
    private static final int INTERVAL = 1000;

    /** Zone "one" of n records, key "k" + i stamped at T0 + i ms. */
    private static RecordsZone fixedZone(int n) {
        RecordsZone zone = new RecordsZone("one", new ZoneType("test", 1, 1));
        for (int i = 0; i < n; i++) {
            zone.put("k" + i, new Stamp(Stamp.hlc(T0 + i, 0), 0x1111L));
        }
        return zone;
    }

    private static final ZoneSignature ONE = new ZoneSignature("one", 1, 1);

    private final RecordsZone zone = fixedZone(100);
    private final ResumeMarks marks = new ResumeMarks();
    private final TestLinkHost host = new TestLinkHost(zone, marks);
    private EmbeddedChannel ch;
    private PeerLink link;

    private void connect(long digestIntervalMs) {
        link = new PeerLink(host, true, new LinkSettings(65_536, INTERVAL, 30_000, 5000, digestIntervalMs));
        ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
        });
        ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast(link);
        ch.pipeline().fireChannelActive();
        Object hello = ch.readOutbound();
        assertThat(hello).isInstanceOf(Hello.class);
    }

    private static Hello peerHello(int flags) {
        return new Hello(Protocol.VERSION, PEER, T0, 65_536, 30_000, "127.0.0.2:9000", List.of(ONE), flags);
    }

    /** What the link wrote, RECORDS frames decoded. */
    private List<Object> sent() {
        return SentFrames.read(ch, peerHello(0), b -> {
        });
    }

    private static List<String> keys(List<Object> frames) {
        List<String> out = new ArrayList<>();
        for (Object o : frames) {
            if (o instanceof RecordBatch b) {
                for (SyncRecord r : b.records()) {
                    out.add(new String(r.key(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static int flags(boolean delta) {
        return Protocol.HELLO_FLAG_DIGESTS | Protocol.HELLO_FLAG_PING | (delta ? Protocol.HELLO_FLAG_DELTA : 0);
    }

    @Test
    void aPeerOnAnOlderVersionGetsTheWholeSnapshotAtOnceAndNoResume() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(false)));
        List<Object> out = sent();
        assertThat(out).noneMatch(o -> o instanceof Resume);
        assertThat(keys(out)).hasSize(100);
        assertThat(link.state()).isEqualTo(LinkState.LIVE);
    }

    @Test
    void aPeerThatTakesDeltasIsAskedFromOurMarkAndItsZoneWaitsForItsResume() {
        marks.marked(PEER, zone, 77, 12345);
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        List<Object> out = sent();
        assertThat(out).contains(new Resume(ONE, 77, 12345));
        assertThat(keys(out)).as("nothing of the zone before the peer's RESUME").isEmpty();
        assertThat(link.state()).isEqualTo(LinkState.SNAPSHOTTING);

        ch.writeInbound(new Resume(ONE, 0, 0));
        assertThat(keys(sent())).hasSize(100);
        assertThat(link.state()).isEqualTo(LinkState.LIVE);
    }

    @Test
    void aPeerThatTakesDeltasButSendsNoResumeIsDisconnectedAfterTheConnectTimeout() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        tick(4); // 4 intervals: within the 5 s connect timeout
        assertThat(link.state()).isEqualTo(LinkState.SNAPSHOTTING);
        tick(1);
        assertThat(link.state()).isIn(LinkState.CLOSING, LinkState.CLOSED);
        assertThat(link.lastError()).contains("no RESUME for zone \"one\"");
        assertThat(sent()).anyMatch(o -> o instanceof Abort a && a.code() == AbortCode.TIMEOUT.code());
    }

    @Test
    void aResumeFromThisCopysMarkGetsOnlyTheRecordsStampedAboveIt() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        long epoch = marks.epochOf(zone);
        ch.writeInbound(new Resume(ONE, epoch, Stamp.hlc(T0 + 96, 0)));
        List<Object> out = sent();
        assertThat(keys(out)).containsExactly("k97", "k98", "k99");
        assertThat(out).contains(new SnapshotEnd(ONE, 3));
    }

    @Test
    void aMarkOfAnotherCopyOfTheZoneIsNotTrusted() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        long epoch = marks.epochOf(zone);
        ch.writeInbound(new Resume(ONE, epoch + 1, Stamp.hlc(T0 + 96, 0)));
        assertThat(keys(sent())).hasSize(100);
    }

    @Test
    void withDigestsOffHereTheWholeZoneIsSent() {
        connect(0);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        ch.writeInbound(new Resume(ONE, marks.epochOf(zone), Stamp.hlc(T0 + 96, 0)));
        assertThat(keys(sent())).hasSize(100);
    }

    @Test
    void withAPeerThatTakesNoDigestsTheWholeZoneIsSent() {
        connect(10_000);
        ch.writeInbound(peerHello(Protocol.HELLO_FLAG_DELTA));
        sent();
        ch.writeInbound(new Resume(ONE, marks.epochOf(zone), Stamp.hlc(T0 + 96, 0)));
        assertThat(keys(sent())).hasSize(100);
    }

    @Test
    void aZoneThatChangesRecordsWithoutANewStampIsSentWhole() {
        zone.stampsEveryChange(false);
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        ch.writeInbound(new Resume(ONE, marks.epochOf(zone), Stamp.hlc(T0 + 96, 0)));
        assertThat(keys(sent())).hasSize(100);
        tick(3);
        assertThat(sent()).noneMatch(o -> o instanceof Mark);
    }

    /** Moves both clocks one interval {@code n} times, running the link's timer each time. */
    private void tick(int n) {
        for (int i = 0; i < n; i++) {
            host.wall += INTERVAL;
            ch.advanceTimeBy(INTERVAL, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
    }

    @Test
    void aMarkGoesOutOnceItsGraceHasPassedAndNothingIsOwed() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        sent();
        long ceilingBeforeCopy = host.hlc + 1;
        ch.writeInbound(new Resume(ONE, 0, 0));
        sent();
        tick(1);
        assertThat(sent()).as("within the grace").noneMatch(o -> o instanceof Mark);
        tick(1);
        assertThat(sent()).contains(new Mark(ONE, marks.epochOf(zone), ceilingBeforeCopy));
        tick(1);
        List<Object> later = sent();
        assertThat(later).filteredOn(o -> o instanceof Mark).hasSize(1);
        assertThat(((Mark) later.stream().filter(o -> o instanceof Mark).findFirst().orElseThrow()).hlc())
                .isGreaterThan(ceilingBeforeCopy);
    }

    @Test
    void aMarkReceivedIsWhatTheNextLinkAsksFromUnlessARecordWasRefused() {
        connect(10_000);
        ch.writeInbound(peerHello(flags(true)));
        ch.writeInbound(new Mark(ONE, 5, 999));
        assertThat(marks.resumeFrom(PEER, zone)).containsExactly(5, 999);

        // a record too far ahead of our clock was refused on this link: the mark would skip it
        ch.writeInbound(new RecordBatch(ONE, List.of(SyncRecord.of(new byte[] {'x'}, new byte[0],
                new Stamp(Stamp.hlc(host.wall + 7_200_000, 0), PEER), Protocol.NO_EXPIRY))));
        ch.writeInbound(new Mark(ONE, 5, 2000));
        assertThat(marks.resumeFrom(PEER, zone)).containsExactly(0, 0);
    }

    @Test
    void aMarkMergedIntoAnotherCopyOfOurZoneIsNotUsed() {
        marks.marked(PEER, fixedZone(1), 5, 999);
        assertThat(marks.resumeFrom(PEER, zone)).containsExactly(0, 0);
    }

    @Test
    void aMarkIsKeptPerPeerIncarnationSoARestartedPeerIsAskedForEverything() {
        marks.marked(PEER, zone, 5, 999);
        long restarted = PEER + 1; // a restart draws a new node id
        assertThat(marks.resumeFrom(restarted, zone)).containsExactly(0, 0);
        assertThat(marks.resumeFrom(PEER, zone)).containsExactly(5, 999);
    }

    @Test
    void aZoneMadeAnewHasANewEpoch() {
        long epoch = marks.epochOf(zone);
        assertThat(epoch).isNotZero().isEqualTo(marks.epochOf(zone));
        RecordsZone remade = fixedZone(3);
        assertThat(marks.epochOf(remade)).isNotEqualTo(epoch);
    }
}
