package io.zonesync.sync.proto;

import static io.zonesync.sync.proto.Samples.bytes;
import static io.zonesync.sync.proto.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class FrameCodecTest {
    private static final int MAX_FRAME = 32_768;

    @Test
    void everyMessageTypeSurvivesTheEncoderAndTheDecoder() {
        List<Message> sent = Samples.conversation();
        assertThat(sent.stream().map(Message::type).distinct()).containsExactlyInAnyOrder(MessageType.values());

        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        for (Message m : sent) {
            assertThat(out.writeOutbound(m)).isTrue();
            ByteBuf frame = out.readOutbound();
            assertThat(frame.readableBytes()).as("size of %s", m.type()).isEqualTo(FrameWriter.encodedSize(m));
            in.writeInbound(frame);
            assertThat(frame.refCnt()).isZero();
        }
        assertThat(readAll(in)).isEqualTo(sent);
        assertThat(in.isOpen()).isTrue();
        assertThat(out.finish()).isFalse();
        assertThat(in.finish()).isFalse();
    }

    @Test
    void aDecodedRecordBecomesTheZoneRecordItSaysWithNoExpiryAndTombstonesKept() {
        Stamp stamp = new Stamp(Stamp.hlc(1_767_225_600_000L, 3), 7);
        RecordBatch sent = new RecordBatch(new ZoneSignature("one", 1, 1), List.of(
                SyncRecord.of(utf8("live"), utf8("value"), stamp, 60_000),
                SyncRecord.of(utf8("forever"), utf8("v"), stamp, Protocol.NO_EXPIRY),
                SyncRecord.tombstone(utf8("gone"), stamp, 5_000)));
        byte[] frame = bytes(sent); // length (4 bytes) and type (1), then the body
        RecordBatch got = (RecordBatch) MessageReader.read(MessageType.RECORDS,
                Unpooled.wrappedBuffer(frame, 5, frame.length - 5));

        List<ZoneRecord> zone = got.records().stream().map(SyncRecord::toZoneRecord).toList();
        assertThat(zone).extracting(r -> new String(r.key(), StandardCharsets.UTF_8), r -> new String(r.payload(),
                StandardCharsets.UTF_8), ZoneRecord::stamp, ZoneRecord::tombstone, ZoneRecord::ttlMs).containsExactly(
                tuple("live", "value", stamp, false, 60_000L),
                tuple("forever", "v", stamp, false, ZoneRecord.NO_EXPIRY),
                tuple("gone", "", stamp, true, 5_000L));
        assertThat(zone.get(1).expires()).isFalse();
    }

    @Test
    void theEncoderLetsPackedBuffersThrough() {
        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        ByteBuf packed = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        out.writeOutbound(packed);
        ByteBuf seen = out.readOutbound();
        assertThat(seen).isSameAs(packed);
        seen.release();
        assertThat(out.finish()).isFalse();
    }

    @Test
    void theWorkedExampleOfTheProtocolDocumentIsExact() {
        RecordBatch b = new RecordBatch(new ZoneSignature("one", 1, 1), List.of(SyncRecord.of(
                utf8("k"), utf8("v"), new Stamp(Stamp.hlc(1_767_225_600_000L, 1), 0x1122334455667788L), 60_000)));
        assertThat(HexFormat.of().formatHex(bytes(b))).isEqualTo(
                "00000027" + "02" + "036f6e65" + "01" + "0001" + "0001" + "00" + "019b76daa8000001"
                        + "1122334455667788" + "0000ea60" + "00016b" + "0000000176");
    }

    @Test
    void aHelloStartsWithLengthTypeMagicAndVersion() {
        byte[] hello = Samples.helloBytes();
        assertThat(HexFormat.of().formatHex(hello, 4, Protocol.HELLO_PREFIX_BYTES)).isEqualTo("015a53594e0001");
        assertThat(hello.length - 4).isEqualTo((hello[2] & 0xFF) << 8 | (hello[3] & 0xFF));
    }

    @Test
    void aConversationSplitAtEveryByteDecodesTheSame() {
        byte[] all = bytes(Samples.conversation());
        for (int cut = 1; cut < all.length; cut++) {
            EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
            ByteBuf first = Unpooled.copiedBuffer(all, 0, cut);
            ByteBuf second = Unpooled.copiedBuffer(all, cut, all.length - cut);
            in.writeInbound(first);
            in.writeInbound(second);
            assertThat(readAll(in)).as("split at byte %d", cut).isEqualTo(Samples.conversation());
            assertThat(first.refCnt()).isZero();
            assertThat(second.refCnt()).isZero();
            assertThat(in.finish()).isFalse();
        }
    }

    @Test
    void aConversationFedOneByteAtATimeDecodesTheSame() {
        byte[] all = bytes(Samples.conversation());
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        List<ByteBuf> fed = new ArrayList<>();
        for (byte b : all) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {b});
            fed.add(one);
            in.writeInbound(one);
        }
        assertThat(readAll(in)).isEqualTo(Samples.conversation());
        assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(in.finish()).isFalse();
    }

    @Test
    void aLinkClosedInTheMiddleOfAFrameLeavesNothingBehind() {
        byte[] all = bytes(Samples.conversation());
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        ByteBuf half = Unpooled.copiedBuffer(all, 0, Samples.helloBytes().length + 7);
        in.writeInbound(half);
        assertThat((Object) in.readInbound()).isInstanceOf(Hello.class);
        assertThat(in.finish()).isFalse();
        assertThat(half.refCnt()).isZero();
    }

    @Test
    void theBatchWriterPacksRecordsUpToTheBudgetAndSaysHowManyFit() {
        ByteBuf buf = Unpooled.buffer();
        int budget = 1024;
        byte[] value = new byte[100];
        int perRecord = RecordBatchWriter.recordSize(4, 100);
        int expected = (budget - RecordBatchWriter.headerSize(Samples.ONE)) / perRecord;

        List<SyncRecord> written = new ArrayList<>();
        RecordBatchWriter w = RecordBatchWriter.begin(buf, Samples.ONE, budget);
        for (int i = 0; ; i++) {
            byte[] key = utf8(String.format("k%03d", i));
            if (!w.tryAdd(key, value, Samples.stamp(i), 0, 1000)) {
                break;
            }
            written.add(SyncRecord.of(key, value, Samples.stamp(i), 1000));
        }
        assertThat(w.count()).isEqualTo(expected).isEqualTo(written.size());
        int size = w.finish();
        assertThat(size).isEqualTo(buf.readableBytes()).isLessThanOrEqualTo(budget)
                .isGreaterThan(budget - perRecord);

        // A second, empty frame leaves the buffer as it was.
        RecordBatchWriter empty = RecordBatchWriter.begin(buf, Samples.ONE, budget);
        assertThat(empty.finish()).isZero();
        assertThat(buf.readableBytes()).isEqualTo(size);

        // A heartbeat behind it in the same buffer: frames pack back to back.
        FrameWriter.write(Heartbeat.INSTANCE, buf);
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        in.writeInbound(Unpooled.wrappedBuffer(Samples.helloBytes()), buf);
        List<Message> got = readAll(in);
        assertThat(got).hasSize(3);
        assertThat(got.get(1)).isEqualTo(new RecordBatch(Samples.ONE, written));
        assertThat(got.get(2)).isEqualTo(Heartbeat.INSTANCE);
        assertThat(buf.refCnt()).isZero();
        assertThat(in.finish()).isFalse();
    }

    @Test
    void theBatchWriterStopsAtTheRecordLimit() {
        ByteBuf buf = Unpooled.buffer();
        try {
            RecordBatchWriter w = RecordBatchWriter.begin(buf, Samples.ONE, Integer.MAX_VALUE);
            int added = 0;
            while (w.tryAdd(utf8("k"), new byte[0], Samples.stamp(1), 0, 5)) {
                added++;
            }
            assertThat(added).isEqualTo(Protocol.MAX_RECORDS_PER_BATCH);
            assertThat(w.finish()).isEqualTo(RecordBatchWriter.headerSize(Samples.ONE)
                    + added * RecordBatchWriter.recordSize(1, 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void fitsAloneTellsWhichRecordsNoFrameOfTheBudgetCanCarry() {
        int header = RecordBatchWriter.headerSize(Samples.ONE);
        int budget = 4096;
        int biggestPayload = budget - header - Protocol.RECORD_OVERHEAD_BYTES - 10;
        assertThat(RecordBatchWriter.fitsAlone(Samples.ONE, 10, biggestPayload, budget)).isTrue();
        assertThat(RecordBatchWriter.fitsAlone(Samples.ONE, 10, biggestPayload + 1, budget)).isFalse();

        ByteBuf buf = Unpooled.buffer();
        try {
            RecordBatchWriter w = RecordBatchWriter.begin(buf, Samples.ONE, budget);
            assertThat(w.tryAdd(new byte[10], new byte[biggestPayload + 1], Samples.stamp(0), 0, 1)).isFalse();
            assertThat(w.tryAdd(new byte[10], new byte[biggestPayload], Samples.stamp(0), 0, 1)).isTrue();
            assertThat(w.finish()).isEqualTo(budget);
        } finally {
            buf.release();
        }
    }

    @Test
    void theBatchWriterRefusesRecordsTheProtocolCannotCarry() {
        ByteBuf buf = Unpooled.buffer();
        try {
            RecordBatchWriter w = RecordBatchWriter.begin(buf, Samples.ONE, 4096);
            assertThatThrownBy(() -> w.tryAdd(new byte[0], new byte[1], Samples.stamp(0), 0, 1))
                    .hasMessage("key length 0 is outside 1..65535");
            assertThatThrownBy(() -> w.tryAdd(new byte[1], new byte[1], Samples.stamp(0), Protocol.FLAG_TOMBSTONE, 1))
                    .hasMessage("tombstone payload length 1 exceeds the limit 0");
            assertThatThrownBy(() -> w.tryAdd(new byte[1], new byte[1], Samples.stamp(0), 0x80, 1))
                    .hasMessage("record flags 0x80 set bits outside the known 0x1");
            assertThatThrownBy(() -> w.tryAdd(new byte[1], new byte[1], Samples.stamp(0), 0, 1L << 32))
                    .hasMessage("ttl 4294967296 ms is outside 0..4294967294");
            assertThatThrownBy(() -> RecordBatchWriter.begin(buf, Samples.ONE, 20))
                    .hasMessageContaining("frame budget 20 bytes for zone \"one\" (type 1 v1) is below the minimum");
        } finally {
            buf.release();
        }
    }

    @Test
    void messagesCheckTheirLimitsWhenBuilt() {
        assertThatThrownBy(() -> Hello.of(0, 0, 4096, 1, "", List.of())).hasMessage("node id 0 is reserved");
        assertThatThrownBy(() -> Hello.of(1, 0, 100, 1, "", List.of()))
                .hasMessage("maximum frame size 100 is outside 512..4294967295");
        assertThatThrownBy(() -> Hello.of(1, 0, 4096, 1, "", List.of(Samples.ONE, Samples.ONE)))
                .hasMessage("zone \"one\" appears twice in the catalog");
        assertThatThrownBy(() -> new ZoneSignature("x".repeat(256), 1, 1))
                .hasMessage("zone name length 256 exceeds the limit 255");
        assertThatThrownBy(() -> new ZoneSignature("", 1, 1)).hasMessage("zone name length 0 is below the minimum 1");
        assertThatThrownBy(() -> new ZoneSignature("bad\uD800", 1, 1)).hasMessageContaining("is not valid Unicode");
        assertThatThrownBy(() -> new RecordBatch(Samples.ONE, List.of()))
                .hasMessage("record count 0 for zone \"one\" (type 1 v1) is outside 1..8192");
        assertThatThrownBy(() -> SyncRecord.of(new byte[65_536], new byte[0], Samples.stamp(0), 1))
                .hasMessage("key length 65536 is outside 1..65535");
        assertThatThrownBy(() -> new Abort(1, "x".repeat(1025))).hasMessage("abort text length 1025 exceeds the limit 1024");
    }

    @Test
    void anAbortTextTooLongForTheWireIsCutOnACharacterBoundary() {
        Abort a = Abort.of(AbortCode.MALFORMED, "é".repeat(600) + "\uD800");
        assertThat(utf8(a.text())).hasSize(1024);
        Abort lone = Abort.of(AbortCode.MALFORMED, "a\uD800b");
        assertThat(lone.text()).isEqualTo("a?b");
    }

    @Test
    void aHelloWhoseCatalogWouldNotFitSixtyFourKilobytesIsNotSent() {
        List<ZoneSignature> zones = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            zones.add(new ZoneSignature(String.format("%03d", i) + "z".repeat(252), 1, 1));
        }
        Hello big = Hello.of(1, 0, 4096, 1, "", zones);
        assertThatThrownBy(() -> FrameWriter.encodedSize(big))
                .hasMessage("HELLO of 77740 bytes (catalog of 300 zones) exceeds the limit 65536");
    }

    @Test
    void aLargeCatalogGetsThroughADecoderWithSmallFrames() {
        List<ZoneSignature> zones = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            zones.add(new ZoneSignature(String.format("%03d", i) + "z".repeat(252), i % 4, i));
        }
        Hello big = Hello.of(1, 0, 4096, 1, "[::1]:9000", zones);
        assertThat(FrameWriter.encodedSize(big)).isBetween(60_000, Protocol.HELLO_MIN_LIMIT);
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(Protocol.MIN_FRAME_SIZE));
        in.writeInbound(Unpooled.wrappedBuffer(bytes(big)));
        assertThat(readAll(in)).containsExactly(big);
        assertThat(in.finish()).isFalse();
    }

    @Test
    void recordsAreValuesWithImmutableBytes() {
        byte[] key = utf8("k");
        SyncRecord r = SyncRecord.of(key, utf8("v"), Samples.stamp(1), 10);
        key[0] = 'x';
        assertThat(r.key()).isEqualTo(utf8("k"));
        r.key()[0] = 'y';
        assertThat(r.key()).isEqualTo(utf8("k"));
        assertThat(r).isEqualTo(SyncRecord.of(utf8("k"), utf8("v"), Samples.stamp(1), 10))
                .hasSameHashCodeAs(SyncRecord.of(utf8("k"), utf8("v"), Samples.stamp(1), 10))
                .isNotEqualTo(SyncRecord.of(utf8("k"), utf8("v"), Samples.stamp(2), 10));
        assertThat(SyncRecord.printable(new byte[] {1, 2})).isEqualTo("0x0102");
        assertThat(SyncRecord.printable(utf8("abc"))).isEqualTo("\"abc\"");
        assertThat(Protocol.ttlOf(-5)).isZero();
        assertThat(Protocol.ttlOf(Long.MAX_VALUE)).isEqualTo(Protocol.MAX_TTL_MILLIS);
    }

    static List<Message> readAll(EmbeddedChannel ch) {
        List<Message> got = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            got.add((Message) o);
        }
        return Collections.unmodifiableList(got);
    }
}
