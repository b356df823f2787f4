package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.List;

/** Turns the body of one complete frame into its message, or refuses it with a ProtocolException. */
final class MessageReader {
    /** name length, at least one name byte, tag, codec version. */
    private static final int MIN_ZONE_BYTES = 1 + 1 + 1 + 2;
    /** flags, hlc, node, ttl, key length. */
    private static final int FIXED_BEFORE_KEY = 1 + 8 + 8 + 4 + 2;

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
                case DIGEST -> digest(r);
                case PING -> new Ping(r.u64("token"));
                case PONG -> new Pong(r.u64("token"));
                case MARK -> new Mark(r.zone(), r.u64("mark epoch"), r.u64("mark hlc"));
                case RESUME -> new Resume(r.zone(), r.u64("resume epoch"), r.u64("resume since"));
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
        int flags = r.u16("flags");
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
        return new Hello(version, nodeId, wallClock, maxFrameSize, timeout, advertised, catalog, flags);
    }

    private static RecordBatch records(FrameReader r) {
        ZoneSignature zone = r.zone();
        int count = r.u16("record count");
        if (count < 1 || count > Protocol.MAX_RECORDS_PER_BATCH) {
            throw r.malformed("record count " + count + " for zone " + zone + " is outside 1.."
                    + Protocol.MAX_RECORDS_PER_BATCH);
        }
        r.need((long) count * Protocol.RECORD_OVERHEAD_BYTES, count + " records for zone " + zone);
        // The hot path: no strings are built unless a record is bad.
        ByteBuf in = r.buffer();
        List<SyncRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.readableBytes() < FIXED_BEFORE_KEY) {
                throw r.malformed("fixed fields of " + where(i, count, zone) + " need " + FIXED_BEFORE_KEY
                        + " bytes but the RECORDS frame has " + in.readableBytes() + " left");
            }
            int flags = in.readUnsignedByte();
            if ((flags & ~Protocol.KNOWN_FLAGS) != 0) {
                throw r.malformed(where(i, count, zone) + ": flags 0x" + Integer.toHexString(flags)
                        + " set bits outside the known 0x" + Integer.toHexString(Protocol.KNOWN_FLAGS));
            }
            long hlc = in.readLong();
            long node = in.readLong();
            long ttl = in.readUnsignedInt();
            int keyLength = in.readUnsignedShort();
            if (keyLength < 1) {
                throw r.malformed(where(i, count, zone) + ": key length 0 is below the minimum 1");
            }
            if (keyLength > in.readableBytes()) {
                throw r.malformed("key of " + where(i, count, zone) + " needs " + keyLength
                        + " bytes but the RECORDS frame has " + in.readableBytes() + " left");
            }
            byte[] key = new byte[keyLength];
            in.readBytes(key);
            if (in.readableBytes() < 4) {
                throw r.malformed("payload length of " + where(i, count, zone) + " needs 4 bytes but the RECORDS frame has "
                        + in.readableBytes() + " left");
            }
            long payloadLength = in.readUnsignedInt();
            if ((flags & Protocol.FLAG_TOMBSTONE) != 0 && payloadLength != 0) {
                throw r.malformed(where(i, count, zone) + ": tombstone payload length " + payloadLength
                        + " exceeds the limit 0");
            }
            if (payloadLength > in.readableBytes()) {
                throw r.malformed(where(i, count, zone) + ": payload length " + payloadLength + " exceeds the "
                        + in.readableBytes() + " bytes left in the RECORDS frame");
            }
            byte[] payload = new byte[(int) payloadLength];
            in.readBytes(payload);
            records.add(SyncRecord.adopt(key, payload, new Stamp(hlc, node), flags,
                    ttl == Protocol.WIRE_NO_EXPIRY ? Protocol.NO_EXPIRY : ttl));
        }
        return new RecordBatch(zone, records);
    }

    private static String where(int i, int count, ZoneSignature zone) {
        return "record " + (i + 1) + " of " + count + " for zone " + zone;
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

    private static Digest digest(FrameReader r) {
        ZoneSignature zone = r.zone();
        long cutoff = r.u64("digest cutoff");
        int bits = r.u8("digest bucket bits");
        if (bits > Protocol.MAX_DIGEST_BUCKET_BITS) {
            throw r.malformed("digest bucket bits " + bits + " for zone " + zone + " exceed the limit "
                    + Protocol.MAX_DIGEST_BUCKET_BITS);
        }
        long first = r.u32("digest first bucket");
        int count = r.u16("digest hash count");
        if (count < 1 || first + count > (1L << bits)) {
            throw r.malformed("digest buckets " + first + " to " + (first + count - 1) + " for zone " + zone
                    + " are outside 0.." + ((1L << bits) - 1) + " or empty");
        }
        r.need(count * 8L, count + " digest hashes for zone " + zone);
        long[] hashes = new long[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = r.buffer().readLong();
        }
        return new Digest(zone, cutoff, bits, (int) first, hashes);
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
