package io.zonesync.keyval;

import io.zonesync.zone.Stamp;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The record format of a keyval state file (doc/operations.md, "keyval state files"): a header
 * line, then one record per change, each framed by its length and a CRC32C so that a torn or
 * damaged tail is found and cut off at the last good record.
 *
 * <pre>
 * header   "zonesync keyval journal 1\n"
 * record   u32 length of body | u32 CRC32C of body | body          (big-endian)
 * body     u8 op | i64 stamp hlc | i64 stamp node | i64 expire (absolute ms, 0 = never)
 *          | u32 key length | key (UTF-8) | value (UTF-8, the rest of the body; op PAIR only)
 * op       1 PAIR, 2 TOMBSTONE (a sync zone's delete), 3 REMOVED (the key is gone)
 * </pre>
 *
 * Replaying the records in file order and keeping the last one of each key gives the zone: each
 * record holds the key's whole state as it was when it was appended.
 */
final class KeyvalJournal {
    /** The first bytes of every journal; a state file without them is JSON. */
    static final byte[] HEADER = "zonesync keyval journal 1\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes before a record's body: its length and its checksum. */
    static final int FRAME_BYTES = 8;
    /** The smallest body: op, stamp, expire and key length. */
    static final int MIN_BODY_BYTES = 1 + 8 + 8 + 8 + 4;

    static final byte PAIR = 1;
    static final byte TOMBSTONE = 2;
    static final byte REMOVED = 3;

    private KeyvalJournal() {
    }

    /** Whether {@code bytes} (a file's first bytes) are a journal's header. */
    static boolean isJournal(byte[] bytes) {
        return bytes.length >= HEADER.length && Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length);
    }

    /** The framed record of a held record: a pair or a tombstone, its key and value bytes copied as they are. */
    static byte[] entry(byte[] r) {
        int keyLength = KeyvalRecord.keyLength(r);
        int valueLength = KeyvalRecord.valueLength(r);
        ByteBuffer b = frame(KeyvalRecord.isTombstone(r) ? TOMBSTONE : PAIR, KeyvalRecord.hlc(r), KeyvalRecord.node(r),
                KeyvalRecord.expireAt(r), keyLength, valueLength);
        b.put(r, KeyvalRecord.KEY, keyLength + valueLength);
        return sealed(b);
    }

    /** The framed record of a key that is no longer held. */
    static byte[] removed(String key) {
        return record(REMOVED, key, 0, 0, 0, null);
    }

    private static byte[] record(byte op, String key, long hlc, long node, long expireAt, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = frame(op, hlc, node, expireAt, k.length, value == null ? 0 : value.length);
        b.put(k);
        if (value != null) {
            b.put(value);
        }
        return sealed(b);
    }

    /** A record's frame with its fixed fields written, positioned at its key. */
    private static ByteBuffer frame(byte op, long hlc, long node, long expireAt, int keyLength, int valueLength) {
        int bodyLength = MIN_BODY_BYTES + keyLength + valueLength;
        ByteBuffer b = ByteBuffer.allocate(FRAME_BYTES + bodyLength);
        b.putInt(bodyLength).putInt(0);
        b.put(op).putLong(hlc).putLong(node).putLong(expireAt).putInt(keyLength);
        return b;
    }

    /** The frame's bytes with its checksum filled in. */
    private static byte[] sealed(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), FRAME_BYTES, b.capacity() - FRAME_BYTES);
        b.putInt(4, (int) crc.getValue());
        return b.array();
    }

    /** Where replay stopped early (the offset of the first bad record) and why. */
    record Damage(long offset, String problem) {
    }

    /**
     * What a journal holds: the last state of each key, how many bytes from the start are good,
     * and the damage that ended the replay early (null when the whole file was read).
     */
    record Replay(Map<String, byte[]> entries, long goodBytes, Damage damage) {
    }

    /**
     * Reads the records that follow the header in {@code in} (positioned just after it, in a file
     * of {@code fileBytes} bytes), keeping the last state of each key; stops at the first record
     * that is cut short or fails its checksum. Reads one record at a time, so a journal larger
     * than memory allows for one array still loads.
     */
    static Replay replay(InputStream in, long fileBytes) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        DataInputStream data = new DataInputStream(in);
        long at = HEADER.length;
        CRC32C crc = new CRC32C();
        while (at < fileBytes) {
            long left = fileBytes - at;
            if (left < FRAME_BYTES) {
                return new Replay(out, at, new Damage(at, "truncated"));
            }
            long length = Integer.toUnsignedLong(data.readInt());
            int checksum = data.readInt();
            if (length > left - FRAME_BYTES) {
                return new Replay(out, at, new Damage(at, "truncated"));
            }
            if (length < MIN_BODY_BYTES || length > Integer.MAX_VALUE - 16) {
                return new Replay(out, at, new Damage(at, "damaged (a record of " + length + " bytes)"));
            }
            byte[] body = new byte[(int) length];
            data.readFully(body);
            crc.reset();
            crc.update(body);
            if ((int) crc.getValue() != checksum) {
                return new Replay(out, at, new Damage(at, "damaged (checksum mismatch)"));
            }
            ByteBuffer b = ByteBuffer.wrap(body);
            byte op = b.get(0);
            long hlc = b.getLong(1);
            long node = b.getLong(9);
            long expireAt = b.getLong(17);
            long keyLength = Integer.toUnsignedLong(b.getInt(25));
            long valueLength = length - MIN_BODY_BYTES - keyLength;
            if (op < PAIR || op > REMOVED || valueLength < 0 || op != PAIR && valueLength != 0) {
                return new Replay(out, at, new Damage(at, "damaged (a malformed record)"));
            }
            String key = new String(body, MIN_BODY_BYTES, (int) keyLength, StandardCharsets.UTF_8);
            if (op == REMOVED) {
                out.remove(key);
            } else {
                byte[] value = op == PAIR ? Arrays.copyOfRange(body, MIN_BODY_BYTES + (int) keyLength, body.length)
                        : null;
                out.put(key, KeyvalRecord.of(key, value, expireAt, new Stamp(hlc, node)));
            }
            at += FRAME_BYTES + length;
        }
        return new Replay(out, at, null);
    }
}
