package io.zonesync.sync.proto;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One record of the generic envelope (doc/protocol.md section 4): opaque key and payload bytes, the
 * version stamp, flags and the remaining lifetime. Immutable: the public factories copy the arrays
 * they are given, {@link #key()} and {@link #payload()} return copies; only {@link #toZoneRecord}
 * hands its own arrays on, to the zone that applies the record.
 */
public final class SyncRecord {
    private final byte[] key;
    private final byte[] payload;
    private final Stamp stamp;
    private final int flags;
    private final long ttlMillis;

    private SyncRecord(byte[] key, byte[] payload, Stamp stamp, int flags, long ttlMillis) {
        if (key == null || payload == null || stamp == null) {
            throw new IllegalArgumentException("record key, payload and stamp are required");
        }
        if (key.length < 1 || key.length > Protocol.MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "key length " + key.length + " is outside 1.." + Protocol.MAX_KEY_BYTES);
        }
        if ((flags & ~Protocol.KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("record flags 0x" + Integer.toHexString(flags)
                    + " set bits outside the known 0x" + Integer.toHexString(Protocol.KNOWN_FLAGS));
        }
        if ((flags & Protocol.FLAG_TOMBSTONE) != 0 && payload.length != 0) {
            throw new IllegalArgumentException(
                    "tombstone payload length " + payload.length + " exceeds the limit 0");
        }
        if (ttlMillis != Protocol.NO_EXPIRY && (ttlMillis < 0 || ttlMillis > Protocol.MAX_TTL_MILLIS)) {
            throw new IllegalArgumentException("ttl " + ttlMillis + " ms is outside 0.." + Protocol.MAX_TTL_MILLIS
                    + " (use Protocol.ttlOf to cap it, or NO_EXPIRY)");
        }
        this.key = key;
        this.payload = payload;
        this.stamp = stamp;
        this.flags = flags;
        this.ttlMillis = ttlMillis;
    }

    /** A live record; ttl in ms ({@link Protocol#ttlOf}) or {@link Protocol#NO_EXPIRY}. */
    public static SyncRecord of(byte[] key, byte[] payload, Stamp stamp, long ttlMillis) {
        return new SyncRecord(key.clone(), payload.clone(), stamp, 0, ttlMillis);
    }

    /** A deletion, remembered by receivers for {@code ttlMillis}. */
    public static SyncRecord tombstone(byte[] key, Stamp stamp, long ttlMillis) {
        return new SyncRecord(key.clone(), new byte[0], stamp, Protocol.FLAG_TOMBSTONE, ttlMillis);
    }

    /** For the decoder: arrays it has just made and hands over. */
    static SyncRecord adopt(byte[] key, byte[] payload, Stamp stamp, int flags, long ttlMillis) {
        return new SyncRecord(key, payload, stamp, flags, ttlMillis);
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] payload() {
        return payload.clone();
    }

    public int keyLength() {
        return key.length;
    }

    public int payloadLength() {
        return payload.length;
    }

    public Stamp stamp() {
        return stamp;
    }

    public int flags() {
        return flags;
    }

    public boolean isTombstone() {
        return (flags & Protocol.FLAG_TOMBSTONE) != 0;
    }

    /** Remaining lifetime in ms when the sender encoded it, or {@link Protocol#NO_EXPIRY}. */
    public long ttlMillis() {
        return ttlMillis;
    }

    public boolean expires() {
        return ttlMillis != Protocol.NO_EXPIRY;
    }

    /**
     * The record as a zone applies it. Its key and payload are this record's own arrays, not
     * copies (a zone reads a received record and never writes to it): a record is applied once, so
     * two more arrays per received record would only be garbage.
     */
    public ZoneRecord toZoneRecord() {
        return new ZoneRecord(key, payload, stamp, isTombstone(), expires() ? ttlMillis : ZoneRecord.NO_EXPIRY);
    }

    /** Bytes this record takes inside a RECORDS frame. */
    public int encodedSize() {
        return RecordBatchWriter.recordSize(key.length, payload.length);
    }

    byte[] keyArray() {
        return key;
    }

    byte[] payloadArray() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncRecord r && flags == r.flags && ttlMillis == r.ttlMillis
                && stamp.equals(r.stamp) && Arrays.equals(key, r.key) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(payload)) + stamp.hashCode();
    }

    @Override
    public String toString() {
        return "SyncRecord[key=" + printable(key) + ", payload=" + payload.length + " bytes, stamp=" + stamp
                + (isTombstone() ? ", tombstone" : "") + ", ttl=" + (expires() ? ttlMillis + "ms" : "none") + "]";
    }

    /** A key as logs show it: text when it is printable ASCII, hex otherwise, cut at 64 bytes. */
    public static String printable(byte[] key) {
        int n = Math.min(key.length, 64);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            if (key[i] < 0x20 || key[i] > 0x7E) {
                text = false;
                break;
            }
        }
        String shown = text
                ? "\"" + new String(key, 0, n, StandardCharsets.US_ASCII) + "\""
                : "0x" + HexFormat.of().formatHex(key, 0, n);
        return key.length > n ? shown + "... (" + key.length + " bytes)" : shown;
    }
}
