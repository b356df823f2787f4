package io.zonesync.keyval;

import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * A keyval zone as the sync engine sees it (doc/protocol.md 5.1): the key's UTF-8 bytes, the
 * value's UTF-8 bytes as payload, a tombstone for a delete, and the remaining lifetime.
 */
public final class KeyvalReplica implements ReplicatedZone<String> {
    /** Wire tag 1 (keyval) and codec version 1 (doc/protocol.md 5.1); bump the version when the payload changes. */
    public static final ZoneType TYPE = new ZoneType("keyval", 1, 1);
    private static final byte[] EMPTY = new byte[0];

    private final KeyvalZone zone;
    private KeyvalListener listener;

    public KeyvalReplica(KeyvalZone zone) {
        this.zone = zone;
    }

    public KeyvalZone zone() {
        return zone;
    }

    @Override
    public String name() {
        return zone.name();
    }

    @Override
    public ZoneType type() {
        return TYPE;
    }

    @Override
    public long recordCount() {
        return zone.pairCount();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        return zone.transfer().snapshot(KeyvalReplica::toZoneRecord);
    }

    /** Only the entries stamped above {@code hlc} are copied and encoded; the others cost a comparison. */
    @Override
    public Iterator<ZoneRecord> changedSince(long hlc) {
        return zone.transfer().changedSince(hlc, KeyvalReplica::toZoneRecord);
    }

    @Override
    public ZoneRecord export(String key) {
        return zone.transfer().record(key, KeyvalReplica::toZoneRecord);
    }

    @Override
    public void exportAll(List<String> keys, int from, int to, ZoneRecord[] out) {
        zone.transfer().records(keys, from, to, out, KeyvalReplica::toZoneRecord);
    }

    /**
     * The wire form of a held record: the key's and the value's UTF-8 bytes copied out of it as
     * they are, so nothing is decoded to a String and encoded back.
     */
    private static ZoneRecord toZoneRecord(byte[] r, long now) {
        long expireAt = KeyvalRecord.expireAt(r);
        long ttl = expireAt == 0 ? ZoneRecord.NO_EXPIRY : expireAt - now;
        byte[] k = KeyvalRecord.keyBytes(r);
        if (KeyvalRecord.isTombstone(r)) {
            return new ZoneRecord(k, EMPTY, KeyvalRecord.stamp(r), true, ttl);
        }
        return new ZoneRecord(k, KeyvalRecord.valueBytes(r), KeyvalRecord.stamp(r), false, ttl);
    }

    @Override
    public boolean applyRemote(ZoneRecord record) {
        byte[] keyUtf8 = record.key();
        String key = new String(keyUtf8, StandardCharsets.UTF_8);
        if (!ascii(keyUtf8)) {
            keyUtf8 = KeyvalRecord.utf8(key); // malformed UTF-8 held with replacement characters, as the String has it
        }
        byte[] value = record.tombstone() ? null : wellFormed(record.payload());
        long ttl = record.expires() ? record.ttlMs() : 0;
        return zone.transfer().applyRemoteUtf8(key, keyUtf8, value, ttl, record.stamp())
                == KeyvalTransfer.ApplyResult.APPLIED;
    }

    /**
     * A received value as the zone keeps it: ASCII bytes as they came, anything else decoded and encoded again so that malformed UTF-8 is
     * stored with replacement characters, as a String would hold it.
     */
    private static byte[] wellFormed(byte[] payload) {
        return ascii(payload) ? payload : new String(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean ascii(byte[] utf8) {
        for (byte b : utf8) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void setChangeListener(ChangeListener<String> l) {
        KeyvalListener old = listener;
        listener = new KeyvalListener() {
            @Override
            public void localChange(KeyvalZone z, String key) {
                l.changed(KeyvalReplica.this, key);
            }
        };
        // The new one first (a reload re-registers while writes go on): a write in between is told
        // twice at worst, which the zone's change log absorbs, never to nobody.
        zone.addListener(listener);
        if (old != null) {
            zone.removeListener(old);
        }
    }
}
