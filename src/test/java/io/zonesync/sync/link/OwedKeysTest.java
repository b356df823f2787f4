package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.sync.proto.RecordBatch;
import io.zonesync.sync.proto.SyncRecord;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keys a link owes after local writes, sent frame by frame on an EmbeddedChannel: the link
 * takes them from the zone's change log a batch at a time ({@link ZoneSession#PENDING_BATCH}), and
 * what it has taken but not yet sent is still owed, and still read from the zone when it is sent.
 */
class OwedKeysTest {
    private static final long PEER = 0x2222L;
    /** A frame of about a dozen of this test's records, so a batch spans several frames. */
    private static final int FRAME = 512;
    private static final ZoneSignature ONE = new ZoneSignature("one", 1, 1);

    private final RecordsZone zone = new RecordsZone("one", new ZoneType("test", 1, 1));
    private final TestLinkHost host = new TestLinkHost(zone, new ResumeMarks());
    private final ChangeLog<String> log = host.changes(zone);
    /** Swallows flushes while set: what the link wrote stays in the channel's buffer, which fills. */
    private boolean holdFlushes;
    private EmbeddedChannel ch;
    private PeerLink link;

    private void connect() {
        link = new PeerLink(host, true, new LinkSettings(FRAME, 1000, 30_000, 5000, 0));
        ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
        });
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(FRAME / 2, FRAME));
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                if (!holdFlushes) {
                    ctx.flush();
                }
            }
        });
        ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast(link);
        ch.pipeline().fireChannelActive();
        assertThat((Object) ch.readOutbound()).isInstanceOf(Hello.class);
        ch.writeInbound(peerHello());
        assertThat(records(sent())).as("an empty zone's snapshot").isEmpty();
    }

    private static Hello peerHello() {
        return new Hello(Protocol.VERSION, PEER, TestLinkHost.T0, 65_536, 30_000, "127.0.0.2:9000", List.of(ONE),
                Protocol.HELLO_FLAG_PING);
    }

    /** A local write of {@code key}: the zone holds it, then the log and the link are told. */
    private Stamp write(String key) {
        Stamp stamp = host.clock().next();
        zone.put(key, stamp);
        log.append(key, host.wall);
        link.changeLogged();
        ch.runPendingTasks(); // the fill the link asked its event loop for
        return stamp;
    }

    /** What the link has flushed: RECORDS frames decoded, everything else as it is. */
    private List<Object> sent() {
        ch.runPendingTasks();
        return SentFrames.read(ch, peerHello(), b -> assertThat(b.readableBytes()).as("a frame within the buffer size")
                .isLessThanOrEqualTo(FRAME));
    }

    private static List<SyncRecord> records(List<Object> frames) {
        List<SyncRecord> out = new ArrayList<>();
        for (Object o : frames) {
            if (o instanceof RecordBatch b) {
                out.addAll(b.records());
            }
        }
        return out;
    }

    private static List<String> keys(List<SyncRecord> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void everyOwedKeyGoesOutOnceInTheOrderOfItsChangeAcrossBatchesAndFrames() {
        connect();
        holdFlushes = true; // the writes pile up as they would while the event loop is busy elsewhere
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 3 * ZoneSession.PENDING_BATCH + 5; i++) {
            written.add("k" + i);
            zone.put("k" + i, host.clock().next());
            log.append("k" + i, host.wall);
        }
        holdFlushes = false;
        link.changeLogged();
        List<Object> frames = sent();
        assertThat(keys(records(frames))).containsExactlyElementsOf(written);
        assertThat(frames).filteredOn(o -> o instanceof RecordBatch).hasSizeGreaterThan(10);
        assertThat(link.backlog()).containsEntry("one", 0L);
    }

    @Test
    void aKeyTakenInABatchButNotYetSentIsStillOwedAndGoesOutWithItsNewestState() {
        connect();
        holdFlushes = true;
        for (int i = 0; i < 29; i++) {
            zone.put("k" + i, host.clock().next());
            log.append("k" + i, host.wall);
        }
        write("k29"); // the link takes all 30 in one batch, packs a frame or two, and the socket is full
        assertThat(log.size()).as("the batch is out of the log").isZero();
        long owed = link.backlog().get("one");
        assertThat(owed).as("taken, not yet packed: still owed").isPositive().isLessThan(30);

        Stamp newer = host.clock().next();
        zone.put("k28", newer); // changed again after it was taken: the log has it once more
        log.append("k28", host.wall);
        holdFlushes = false;
        ch.flush(); // the socket drains: the link sends the rest
        List<SyncRecord> out = records(sent());
        List<String> keys = keys(out);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            first.add("k" + i);
        }
        assertThat(keys).hasSize(31);
        assertThat(keys.subList(0, 30)).as("each once, in order").isEqualTo(first);
        assertThat(out.get(28).stamp()).as("read from the zone when packed, not when taken").isEqualTo(newer);
        assertThat(keys.get(30)).as("and once more for the log's later entry").isEqualTo("k28");
        assertThat(link.backlog()).containsEntry("one", 0L);
    }
}
