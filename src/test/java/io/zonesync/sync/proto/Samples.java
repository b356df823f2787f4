package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.zonesync.zone.Stamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Messages of every type, and helpers to turn them into bytes. */
final class Samples {
    static final ZoneSignature ONE = new ZoneSignature("one", 1, 1);
    static final ZoneSignature STICKY = new ZoneSignature("sessions", 2, 1);
    static final ZoneSignature RATE = new ZoneSignature("perip", 3, 1);

    private Samples() {
    }

    static Hello hello() {
        return Hello.of(0x1122334455667788L, 1_767_225_600_000L, 32_768, 5_000, "10.0.0.1:9000",
                List.of(ONE, STICKY, RATE, new ZoneSignature("zóne-ü", 200, 65_535)));
    }

    static Stamp stamp(int counter) {
        return new Stamp(Stamp.hlc(1_767_225_600_000L, counter), 0x0102030405060708L);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RecordBatch batch() {
        return new RecordBatch(ONE, List.of(
                SyncRecord.of(utf8("k"), utf8("v"), stamp(1), 60_000),
                SyncRecord.of(utf8("empty value"), new byte[0], stamp(2), Protocol.NO_EXPIRY),
                SyncRecord.tombstone(utf8("gone"), stamp(3), Protocol.MAX_TTL_MILLIS),
                SyncRecord.of(new byte[] {0, (byte) 0xFF, 7}, new byte[300], new Stamp(-1L, -1L), 0)));
    }

    /** One of each message type after the HELLO, in the order a link might see them. */
    static List<Message> afterHello() {
        List<Message> all = new ArrayList<>();
        all.add(new SnapshotBegin(ONE));
        all.add(batch());
        all.add(new SnapshotEnd(ONE, 4));
        all.add(Heartbeat.INSTANCE);
        all.add(new Ping(1));
        all.add(new Pong(0xFEDC_BA98_7654_3210L));
        all.add(new Mark(new ZoneSignature("one", 1, 1), 0x8000_0000_0000_0001L, Stamp.hlc(1_767_225_600_000L, 7)));
        all.add(new Resume(new ZoneSignature("one", 1, 1), 0x8000_0000_0000_0001L, 0));
        all.add(new Digest(ONE, 1_767_225_590_000L, 0, 0, new long[] {0x0123456789ABCDEFL}));
        all.add(new Digest(ONE, 1_767_225_590_000L, 12, 4088, new long[] {1, 2, 3, 4, 5, 6, 7, -1}));
        all.add(new RecordBatch(STICKY, List.of(SyncRecord.of(new byte[16], utf8("\u0001a"), stamp(9), 1))));
        for (GoodbyeReason r : GoodbyeReason.values()) {
            all.add(new Goodbye(r));
        }
        all.add(Abort.of(AbortCode.TIMEOUT, "nothing read for 5000 ms"));
        all.add(new Abort(999, ""));
        return all;
    }

    /** The HELLO followed by every other sample. */
    static List<Message> conversation() {
        List<Message> all = new ArrayList<>();
        all.add(hello());
        all.addAll(afterHello());
        return all;
    }

    static byte[] bytes(Message... messages) {
        return bytes(List.of(messages));
    }

    static byte[] bytes(List<? extends Message> messages) {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (Message m : messages) {
                FrameWriter.write(m, buf);
            }
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    static byte[] helloBytes() {
        return bytes(hello());
    }

    /** A frame from a type and raw body bytes, with a correct length prefix. */
    static byte[] frame(int type, byte[] body) {
        byte[] out = new byte[4 + 1 + body.length];
        int length = 1 + body.length;
        out[0] = (byte) (length >>> 24);
        out[1] = (byte) (length >>> 16);
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
        out[4] = (byte) type;
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }
}
