package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.List;

/** Turns the body of one complete frame into its message, or refuses it with a ProtocolException. */
final class MessageReader {
    /** name length, at least one name byte, tag, codec version. */
    private static final int MIN_ZONE_BYTES = 1 + 1 + 1 + 2;

    private MessageReader() {
    }

    static Message read(MessageType type, ByteBuf body) {
        FrameReader r = new FrameReader(type, body);
        Message m;
        try {
            m = switch (type) {
                case HELLO -> hello(r);
                case RECORDS -> records(r);
                case SNAPSHOT_BEGIN -> new SnapshotBegin(r.zone());
                case SNAPSHOT_END -> snapshotEnd(r);
                case HEARTBEAT -> Heartbeat.INSTANCE;
                case GOODBYE -> goodbye(r);
                case ABORT -> abort(r);
            };
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(AbortCode.MALFORMED, type + " frame: " + e.getMessage());
        }
        r.end();
        return m;
    }

    private static Hello hello(FrameReader r) {
        long magic = r.u32("magic");
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException(AbortCode.BAD_MAGIC, badMagic(magic));
        }
        int version = r.u16("protocol version");
        if (version != Protocol.VERSION) {
            throw new ProtocolException(AbortCode.UNSUPPORTED_VERSION, unsupportedVersion(version));
        }
        r.u16("flags");
        long nodeId = r.u64("node id");
        if (nodeId == 0) {
            throw r.malformed("node id 0 is reserved (node ids are non-zero)");
        }
        long wallClock = r.u64("wall clock");
        long maxFrameSize = r.u32("maximum frame size");
        if (maxFrameSize < Protocol.MIN_FRAME_SIZE) {
            throw r.malformed("maximum frame size " + maxFrameSize + " is below the minimum " + Protocol.MIN_FRAME_SIZE);
        }
        long timeout = r.u32("timeout");
        if (timeout < 1) {
            throw r.malformed("timeout 0 ms is below the minimum 1");
        }
        String advertised = r.string(r.u8("advertised address length"), "advertised address");
        int zones = r.u16("catalog zone count");
        if (zones > Protocol.MAX_CATALOG_ZONES) {
            throw r.malformed("catalog zone count " + zones + " exceeds the limit " + Protocol.MAX_CATALOG_ZONES);
        }
        r.need((long) zones * MIN_ZONE_BYTES, "catalog of " + zones + " zones");
        List<ZoneSignature> catalog = new ArrayList<>(zones);
        for (int i = 0; i < zones; i++) {
            catalog.add(r.zone());
        }
        return new Hello(version, nodeId, wallClock, maxFrameSize, timeout, advertised, catalog);
    }

    private static RecordBatch records(FrameReader r) {
        ZoneSignature zone = r.zone();
        int count = r.u16("record count");
        if (count < 1 || count > Protocol.MAX_RECORDS_PER_BATCH) {
            throw r.malformed("record count " + count + " for zone " + zone + " is outside 1.."
                    + Protocol.MAX_RECORDS_PER_BATCH);
        }
        r.need((long) count * Protocol.RECORD_OVERHEAD_BYTES, count + " records for zone " + zone);
        List<SyncRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String where = "record " + (i + 1) + " of " + count + " for zone " + zone;
            int flags = r.u8("flags of " + where);
            if ((flags & ~Protocol.KNOWN_FLAGS) != 0) {
                throw r.malformed(where + ": flags 0x" + Integer.toHexString(flags)
                        + " set bits outside the known 0x" + Integer.toHexString(Protocol.KNOWN_FLAGS));
            }
            long hlc = r.u64("stamp of " + where);
            long node = r.u64("stamp node of " + where);
            long ttl = r.u32("ttl of " + where);
            int keyLength = r.u16("key length of " + where);
            if (keyLength < 1) {
                throw r.malformed(where + ": key length 0 is below the minimum 1");
            }
            byte[] key = r.bytes(keyLength, "key of " + where);
            long payloadLength = r.u32("payload length of " + where);
            if ((flags & Protocol.FLAG_TOMBSTONE) != 0 && payloadLength != 0) {
                throw r.malformed(where + ": tombstone payload length " + payloadLength + " exceeds the limit 0");
            }
            if (payloadLength > r.left()) {
                throw r.malformed(where + ": payload length " + payloadLength + " exceeds the " + r.left()
                        + " bytes left in the RECORDS frame");
            }
            byte[] payload = r.bytes((int) payloadLength, "payload of " + where);
            records.add(SyncRecord.adopt(key, payload, new Stamp(hlc, node), flags,
                    ttl == Protocol.WIRE_NO_EXPIRY ? Protocol.NO_EXPIRY : ttl));
        }
        return new RecordBatch(zone, records);
    }

    private static SnapshotEnd snapshotEnd(FrameReader r) {
        ZoneSignature zone = r.zone();
        long records = r.u64("snapshot record count");
        if (records < 0) {
            throw r.malformed("snapshot record count " + Long.toUnsignedString(records) + " for zone " + zone
                    + " exceeds the limit " + Long.MAX_VALUE);
        }
        return new SnapshotEnd(zone, records);
    }

    private static Goodbye goodbye(FrameReader r) {
        int code = r.u8("goodbye reason");
        GoodbyeReason reason = GoodbyeReason.fromCode(code);
        if (reason == null) {
            throw r.malformed("goodbye reason " + code + " is not one of 1.." + GoodbyeReason.values().length);
        }
        return new Goodbye(reason);
    }

    private static Abort abort(FrameReader r) {
        int code = r.u16("abort code");
        int length = r.u16("abort text length");
        if (length > Protocol.MAX_ABORT_TEXT_BYTES) {
            throw r.malformed("abort text length " + length + " exceeds the limit " + Protocol.MAX_ABORT_TEXT_BYTES);
        }
        return new Abort(code, r.string(length, "abort text"));
    }

    static String badMagic(long magic) {
        return String.format("magic 0x%08X is not the zonesync magic 0x%08X (\"ZSYN\"): the peer is not a zonesync node",
                magic, Protocol.MAGIC);
    }

    static String unsupportedVersion(int version) {
        return "protocol version " + version + " is not supported (this node speaks " + Protocol.VERSION + ")";
    }
}
