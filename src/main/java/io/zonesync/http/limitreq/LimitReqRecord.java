package io.zonesync.http.limitreq;

import java.nio.ByteBuffer;

/**
 * The payload of a limit_req record (doc/protocol.md 5.3, codec version 1):
 * {@code kind:u8 = 1, epoch:u32, accepted:u32, excess:u32, idle:u32}, big-endian. One kind serves live
 * pushes and snapshots alike; a receiver ignores kinds it does not know.
 */
final class LimitReqRecord {
    static final int KIND_COUNT = 1;
    static final int SIZE = 17;

    private LimitReqRecord() {
    }

    static byte[] encode(LimitReqZone.Export e) {
        return ByteBuffer.allocate(SIZE).put((byte) KIND_COUNT).putInt(e.epoch()).putInt(e.accepted())
                .putInt((int) e.excess()).putInt((int) e.idleMs()).array();
    }

    /** The export a payload carries, or null when it is of another kind or size. */
    static LimitReqZone.Export decode(byte[] payload) {
        if (payload.length != SIZE || payload[0] != KIND_COUNT) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload, 1, SIZE - 1);
        int epoch = b.getInt();
        int accepted = b.getInt();
        long excess = b.getInt() & 0xFFFF_FFFFL;
        long idle = b.getInt() & 0xFFFF_FFFFL;
        return new LimitReqZone.Export(epoch, accepted, excess, idle);
    }
}
