package io.zonesync.sync.proto;

import static io.zonesync.sync.proto.Samples.concat;
import static io.zonesync.sync.proto.Samples.frame;
import static io.zonesync.sync.proto.Samples.helloBytes;
import static io.zonesync.sync.proto.Samples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every way a peer can break the framing closes the link with a message naming the value and the limit. */
@ExtendWith(NoLeaks.class)
class FrameDecoderErrorTest {
    private static final int MAX_FRAME = 1024;
    /** The zone signature of "one" (type 1 v1) on the wire. */
    private static final String ONE = "03 6f6e65 01 0001";
    private static final String WHERE = "record 1 of 1 for zone \"one\" (type 1 v1)";

    @Test
    void aClientThatIsNotAZonesyncNodeIsToldByTheMagic() {
        rejects(MAX_FRAME, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                AbortCode.BAD_MAGIC,
                "magic 0x20485454 is not the zonesync magic 0x5A53594E (\"ZSYN\"): the peer is not a zonesync node");
    }

    @Test
    void anotherProtocolVersionIsRefused() {
        byte[] hello = helloBytes();
        hello[10] = 2;
        rejects(MAX_FRAME, hello, AbortCode.UNSUPPORTED_VERSION,
                "protocol version 2 is not supported (this node speaks 1)");
    }

    @Test
    void theFirstFrameMustBeAHello() {
        rejects(MAX_FRAME, frame(2, hex("5a53594e 0001 0000")), AbortCode.UNEXPECTED_MESSAGE,
                "the first frame has type 2 (RECORDS), expected 1 (HELLO)");
        rejects(MAX_FRAME, frame(66, hex("5a53594e 0001 0000")), AbortCode.UNEXPECTED_MESSAGE,
                "the first frame has type 66, expected 1 (HELLO)");
    }

    @Test
    void aHelloIsAllowedSixtyFourKilobytesAndNoMore() {
        byte[] prefix = Arrays.copyOf(helloBytes(), Protocol.HELLO_PREFIX_BYTES);
        prefix[0] = 0x7F;
        prefix[1] = (byte) 0xFF;
        prefix[2] = (byte) 0xFF;
        prefix[3] = (byte) 0xFF;
        rejects(MAX_FRAME, prefix, AbortCode.FRAME_TOO_LARGE, "frame of 2147483651 bytes exceeds the maximum frame size 65536");
    }

    @Test
    void anOversizedLengthIsRefusedBeforeTheFrameIsBuffered() {
        rejects(MAX_FRAME, after(hex("000007d0")), AbortCode.FRAME_TOO_LARGE,
                "frame of 2004 bytes exceeds the maximum frame size 1024");
        rejects(MAX_FRAME, after(hex("000003fd")), AbortCode.FRAME_TOO_LARGE,
                "frame of 1025 bytes exceeds the maximum frame size 1024");
        rejects(MAX_FRAME, after(hex("ffffffff ffffffff ffff")), AbortCode.FRAME_TOO_LARGE,
                "frame of 4294967299 bytes exceeds the maximum frame size 1024");
    }

    @Test
    void aFrameOfExactlyTheMaximumSizeIsAccepted() {
        byte[] value = new byte[MAX_FRAME - RecordBatchWriter.headerSize(Samples.ONE) - Protocol.RECORD_OVERHEAD_BYTES - 1];
        RecordBatch b = new RecordBatch(Samples.ONE, List.of(SyncRecord.of(new byte[1], value, Samples.stamp(0), 1)));
        assertThat(FrameWriter.encodedSize(b)).isEqualTo(MAX_FRAME);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(helloBytes(), Samples.bytes(b))));
        assertThat(FrameCodecTest.readAll(ch)).containsExactly(Samples.hello(), b);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aZeroLengthIsMalformed() {
        rejects(MAX_FRAME, after(hex("00000000")), AbortCode.MALFORMED, "frame length 0 is below the minimum 1");
    }

    @Test
    void anUnknownTypeIsRefusedAsSoonAsItsByteArrives() {
        rejects(MAX_FRAME, after(hex("00000100 0d")), AbortCode.UNKNOWN_TYPE, "frame type 13 is unknown (known types are 1..12)");
        rejects(MAX_FRAME, after(frame(0, new byte[0])), AbortCode.UNKNOWN_TYPE,
                "frame type 0 is unknown (known types are 1..12)");
    }

    @Test
    void aSecondHelloIsRefused() {
        rejects(MAX_FRAME, after(helloBytes()), AbortCode.UNEXPECTED_MESSAGE, "a second HELLO arrived after the handshake");
    }

    @Test
    void digestsOutsideTheirBucketsOrLyingAboutTheirLengthAreRefused() {
        String cutoff = "0000019b7b2c5e70";
        rejects(MAX_FRAME, after(frame(8, hex(ONE + cutoff + "11 00000000 0001" + "0000000000000001"))),
                AbortCode.MALFORMED, "digest bucket bits 17 for zone \"one\" (type 1 v1) exceed the limit 16");
        rejects(MAX_FRAME, after(frame(8, hex(ONE + cutoff + "02 00000003 0002" + "00000000000000010000000000000002"))),
                AbortCode.MALFORMED, "digest buckets 3 to 4 for zone \"one\" (type 1 v1) are outside 0..3 or empty");
        rejects(MAX_FRAME, after(frame(8, hex(ONE + cutoff + "0c 00000000 0000"))), AbortCode.MALFORMED,
                "digest buckets 0 to -1 for zone \"one\" (type 1 v1) are outside 0..4095 or empty");
        rejects(MAX_FRAME, after(frame(8, hex(ONE + cutoff + "0c 00000000 0040" + "0000000000000001"))),
                AbortCode.MALFORMED, "64 digest hashes for zone \"one\" (type 1 v1) needs 512 bytes but the DIGEST frame has 8 left");
    }

    @Test
    void recordCountsThatLieAreRefusedBeforeAnythingIsAllocated() {
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "ea60"))), AbortCode.MALFORMED,
                "record count 60000 for zone \"one\" (type 1 v1) is outside 1..8192");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0000"))), AbortCode.MALFORMED,
                "record count 0 for zone \"one\" (type 1 v1) is outside 1..8192");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0064 00"))), AbortCode.MALFORMED,
                "100 records for zone \"one\" (type 1 v1) needs 2700 bytes but the RECORDS frame has 1 left");
    }

    @Test
    void keyAndPayloadLengthsThatLieAreRefused() {
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("00", "01f4") + "616263 00000000"))),
                AbortCode.MALFORMED, "key of " + WHERE + " needs 500 bytes but the RECORDS frame has 7 left");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("00", "0001") + "6b ffffffff"))),
                AbortCode.MALFORMED, WHERE + ": payload length 4294967295 exceeds the 0 bytes left in the RECORDS frame");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("00", "0000") + "00000000"))),
                AbortCode.MALFORMED, WHERE + ": key length 0 is below the minimum 1");
    }

    @Test
    void aRecordThatEatsTheBytesOfTheNextIsCaught() {
        // Two records pass the count check (2 * 27 bytes), but the first one's key takes 30 of them.
        String first = record("00", "001e") + "00".repeat(30) + "00000000";
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0002" + first + "00".repeat(10)))), AbortCode.MALFORMED,
                "fixed fields of record 2 of 2 for zone \"one\" (type 1 v1) need 23 bytes but the RECORDS frame has 10 left");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0002" + first + record("00", "0001") + "6b 0000"))),
                AbortCode.MALFORMED, "payload length of record 2 of 2 for zone \"one\" (type 1 v1) needs 4 bytes "
                        + "but the RECORDS frame has 2 left");
    }

    @Test
    void recordFlagsAndTombstonesAreChecked() {
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("02", "0001") + "6b 00000000"))),
                AbortCode.MALFORMED, WHERE + ": flags 0x2 set bits outside the known 0x1");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("01", "0001") + "6b 00000001 76"))),
                AbortCode.MALFORMED, WHERE + ": tombstone payload length 1 exceeds the limit 0");
    }

    @Test
    void zoneNamesAreCheckedForLengthAndEncoding() {
        rejects(MAX_FRAME, after(frame(3, hex("00 01 0001"))), AbortCode.MALFORMED, "zone name length 0 is below the minimum 1");
        rejects(MAX_FRAME, after(frame(3, hex("01 ff 01 0001"))), AbortCode.MALFORMED,
                "zone name (1 bytes) is not valid UTF-8");
        rejects(MAX_FRAME, after(frame(3, hex("09 6f6e65"))), AbortCode.MALFORMED,
                "zone name needs 9 bytes but the SNAPSHOT_BEGIN frame has 3 left");
    }

    @Test
    void trailingBytesAreMalformed() {
        rejects(MAX_FRAME, after(frame(5, hex("000000"))), AbortCode.MALFORMED, "HEARTBEAT frame has 3 trailing bytes (expected 0)");
        rejects(MAX_FRAME, after(frame(2, hex(ONE + "0001" + record("00", "0001") + "6b 00000000 99"))),
                AbortCode.MALFORMED, "RECORDS frame has 1 trailing bytes (expected 0)");
    }

    @Test
    void controlFramesAreChecked() {
        rejects(MAX_FRAME, after(frame(6, hex("09"))), AbortCode.MALFORMED, "goodbye reason 9 is not one of 1..3");
        rejects(MAX_FRAME, after(frame(6, new byte[0])), AbortCode.MALFORMED,
                "goodbye reason needs 1 bytes but the GOODBYE frame has 0 left");
        rejects(MAX_FRAME, after(frame(7, hex("0001 07d0"))), AbortCode.MALFORMED, "abort text length 2000 exceeds the limit 1024");
        rejects(MAX_FRAME, after(frame(4, hex(ONE + "ffffffffffffffff"))), AbortCode.MALFORMED,
                "snapshot record count 18446744073709551615 for zone \"one\" (type 1 v1) exceeds the limit 9223372036854775807");
    }

    @Test
    void helloFieldsAreChecked() {
        rejects(MAX_FRAME, hello("0000000000000000", "00008000", "00000001", "0000"), AbortCode.MALFORMED,
                "node id 0 is reserved (node ids are non-zero)");
        rejects(MAX_FRAME, hello("0000000000000001", "00000064", "00000001", "0000"), AbortCode.MALFORMED,
                "maximum frame size 100 is below the minimum 512");
        rejects(MAX_FRAME, hello("0000000000000001", "00008000", "00000000", "0000"), AbortCode.MALFORMED,
                "timeout 0 ms is below the minimum 1");
        rejects(MAX_FRAME, hello("0000000000000001", "00008000", "00000001", "1388"), AbortCode.MALFORMED,
                "catalog zone count 5000 exceeds the limit 4096");
        rejects(MAX_FRAME, hello("0000000000000001", "00008000", "00000001", "0064"), AbortCode.MALFORMED,
                "catalog of 100 zones needs 500 bytes but the HELLO frame has 0 left");
        rejects(MAX_FRAME, hello("0000000000000001", "00008000", "00000001", "0002" + ONE + ONE), AbortCode.MALFORMED,
                "HELLO frame: zone \"one\" appears twice in the catalog");
    }

    @Test
    void framesBeforeTheBadOneAreDeliveredAndNothingAfterIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        byte[] heartbeat = Samples.bytes(Heartbeat.INSTANCE);
        ByteBuf in = Unpooled.wrappedBuffer(concat(helloBytes(), heartbeat, hex("00000000"), heartbeat));
        Throwable t = catchThrowable(() -> ch.writeInbound(in));
        assertThat(t).isInstanceOf(ProtocolException.class);
        assertThat(FrameCodecTest.readAll(ch)).containsExactly(Samples.hello(), Heartbeat.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        releaseOutbound(ch);
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void theAbortTextIsCutToTheWireLimit() {
        // A 255-byte zone name that is not UTF-8 gives a short message; a key that lies gives a long one.
        String longZone = "z".repeat(255);
        byte[] body = concat(new byte[] {(byte) 255}, longZone.getBytes(StandardCharsets.US_ASCII), hex("01 0001 0064"));
        rejects(MAX_FRAME, after(frame(2, body)), AbortCode.MALFORMED,
                "100 records for zone \"" + longZone + "\" (type 1 v1) needs 2700 bytes but the RECORDS frame has 0 left");
    }

    /** The fixed part of one record before the key bytes: flags, stamp, ttl, key length. */
    private static String record(String flags, String keyLength) {
        return flags + "0000000000000001 0000000000000002 00000001" + keyLength;
    }

    private static byte[] hello(String nodeId, String maxFrame, String timeout, String catalog) {
        return frame(1, hex("5a53594e 0001 0000" + nodeId + "0000000000000000" + maxFrame + timeout + "00" + catalog));
    }

    /** A valid HELLO, then the given bytes. */
    private static byte[] after(byte[] bytes) {
        return concat(helloBytes(), bytes);
    }

    private static void rejects(int maxFrame, byte[] input, AbortCode code, String message) {
        rejects(maxFrame, input, code, message, ch -> { });
    }

    private static void rejects(int maxFrame, byte[] input, AbortCode code, String message, Consumer<EmbeddedChannel> more) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(maxFrame));
        ByteBuf in = Unpooled.wrappedBuffer(input);
        Throwable t = catchThrowable(() -> ch.writeInbound(in));
        assertThat(t).isInstanceOf(ProtocolException.class).hasMessage(message);
        assertThat(((ProtocolException) t).code()).isEqualTo(code);
        assertThat(ch.isOpen()).as("channel open after: %s", message).isFalse();
        assertThat(in.refCnt()).isZero();

        ByteBuf sent = ch.readOutbound();
        assertThat(sent).as("ABORT frame sent to the peer").isNotNull();
        try {
            assertThat(sent.readInt()).isEqualTo(sent.readableBytes());
            assertThat(sent.readUnsignedByte()).isEqualTo((short) MessageType.ABORT.code());
            Message abort = MessageReader.read(MessageType.ABORT, sent);
            assertThat(abort).isEqualTo(Abort.of(code, message));
        } finally {
            sent.release();
        }
        more.accept(ch);
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    private static void releaseOutbound(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
        ch.finishAndReleaseAll();
    }
}
