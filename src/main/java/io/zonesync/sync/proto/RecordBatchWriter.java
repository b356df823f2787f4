package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.zonesync.zone.Stamp;

/**
 * Packs records of one zone into one RECORDS frame without going through {@link SyncRecord}
 * objects, up to a byte budget. The sync engine opens a writer on its buffer, offers records until
 * {@link #tryAdd} says no, and finishes the frame; what did not fit goes into the next frame.
 *
 * <pre>{@code
 * RecordBatchWriter w = RecordBatchWriter.begin(buf, zone, budget);
 * while (pending.hasNext() && w.tryAdd(key, payload, stamp, flags, ttl)) { pending.advance(); }
 * int frameBytes = w.finish();   // 0 and nothing written when no record fitted
 * }</pre>
 *
 * Before offering a record, check {@link #fitsAlone}: a record that fits no frame of that budget
 * must be skipped and logged, or the loop above never moves past it.
 */
public final class RecordBatchWriter {
    private final ByteBuf out;
    private final int start;
    private final int countIndex;
    private final long limitIndex;
    private int count;
    private boolean finished;

    private RecordBatchWriter(ByteBuf out, int start, int countIndex, long limitIndex) {
        this.out = out;
        this.start = start;
        this.countIndex = countIndex;
        this.limitIndex = limitIndex;
    }

    /**
     * Starts a RECORDS frame for {@code zone} at the writer index of {@code out}; the finished frame,
     * length prefix included, will not exceed {@code maxFrameBytes}.
     */
    public static RecordBatchWriter begin(ByteBuf out, ZoneSignature zone, int maxFrameBytes) {
        byte[] name = Utf8.encode(zone.name(), "zone name", 1, Protocol.MAX_ZONE_NAME_BYTES);
        int header = headerSize(zone);
        if (maxFrameBytes < header + Protocol.RECORD_OVERHEAD_BYTES + 1) {
            throw new IllegalArgumentException("frame budget " + maxFrameBytes + " bytes for zone " + zone
                    + " is below the minimum " + (header + Protocol.RECORD_OVERHEAD_BYTES + 1));
        }
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(MessageType.RECORDS.code());
        FrameWriter.writeZone(out, zone, name);
        int countIndex = out.writerIndex();
        out.writeShort(0);
        return new RecordBatchWriter(out, start, countIndex, (long) start + maxFrameBytes);
    }

    /** Bytes of a RECORDS frame before its first record: length, type, zone signature, count. */
    public static int headerSize(ZoneSignature zone) {
        return Protocol.LENGTH_FIELD_BYTES + 1 + FrameWriter.zoneSize(zone) + 2;
    }

    /** Bytes one record takes in a RECORDS frame. */
    public static int recordSize(int keyLength, int payloadLength) {
        return Protocol.RECORD_OVERHEAD_BYTES + keyLength + payloadLength;
    }

    /** Whether a record of this size fits an otherwise empty frame of this budget. */
    public static boolean fitsAlone(ZoneSignature zone, int keyLength, int payloadLength, int maxFrameBytes) {
        return (long) headerSize(zone) + recordSize(keyLength, payloadLength) <= maxFrameBytes;
    }

    /** Appends a record if it fits the budget and the record limit; false leaves the frame as it was. */
    public boolean tryAdd(byte[] key, byte[] payload, Stamp stamp, int flags, long ttlMillis) {
        if (finished) {
            throw new IllegalStateException("the RECORDS frame is already finished");
        }
        checkRecord(key, payload, flags, ttlMillis);
        if (count == Protocol.MAX_RECORDS_PER_BATCH
                || (long) out.writerIndex() + recordSize(key.length, payload.length) > limitIndex) {
            return false;
        }
        out.writeByte(flags);
        out.writeLong(stamp.hlc());
        out.writeLong(stamp.node());
        out.writeInt((int) (ttlMillis == Protocol.NO_EXPIRY ? Protocol.WIRE_NO_EXPIRY : ttlMillis));
        out.writeShort(key.length);
        out.writeBytes(key);
        out.writeInt(payload.length);
        out.writeBytes(payload);
        count++;
        return true;
    }

    public boolean tryAdd(SyncRecord r) {
        return tryAdd(r.keyArray(), r.payloadArray(), r.stamp(), r.flags(), r.ttlMillis());
    }

    /** Records in the frame so far. */
    public int count() {
        return count;
    }

    /** Bytes of the frame so far, header included. */
    public int size() {
        return out.writerIndex() - start;
    }

    /**
     * Completes the frame and returns its size in bytes. With no records the frame is removed again
     * (the writer index goes back to where {@link #begin} found it) and 0 is returned.
     */
    public int finish() {
        if (finished) {
            throw new IllegalStateException("the RECORDS frame is already finished");
        }
        finished = true;
        if (count == 0) {
            out.writerIndex(start);
            return 0;
        }
        int size = out.writerIndex() - start;
        out.setInt(start, size - Protocol.LENGTH_FIELD_BYTES);
        out.setShort(countIndex, count);
        return size;
    }

    private static void checkRecord(byte[] key, byte[] payload, int flags, long ttlMillis) {
        if (key.length < 1 || key.length > Protocol.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key length " + key.length + " is outside 1.." + Protocol.MAX_KEY_BYTES);
        }
        if ((flags & ~Protocol.KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("record flags 0x" + Integer.toHexString(flags)
                    + " set bits outside the known 0x" + Integer.toHexString(Protocol.KNOWN_FLAGS));
        }
        if ((flags & Protocol.FLAG_TOMBSTONE) != 0 && payload.length != 0) {
            throw new IllegalArgumentException("tombstone payload length " + payload.length + " exceeds the limit 0");
        }
        if (ttlMillis != Protocol.NO_EXPIRY && (ttlMillis < 0 || ttlMillis > Protocol.MAX_TTL_MILLIS)) {
            throw new IllegalArgumentException("ttl " + ttlMillis + " ms is outside 0.." + Protocol.MAX_TTL_MILLIS);
        }
    }
}
