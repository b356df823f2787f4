package io.zonesync.keyval;

import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A keyval zone as the sync engine sees it (doc/protocol.md 5.1): the key's UTF-8 bytes, the
 * value's UTF-8 bytes as payload, a tombstone for a delete, and the remaining lifetime.
 */
public final class KeyvalReplica implements ReplicatedZone<String> {
    /** Wire tag 1 (keyval) and codec version 1, as doc/protocol.md 3.2 assigns them. */
    public static final ZoneType TYPE = new ZoneType(KeyvalRecord.TYPE_TAG, 1, KeyvalRecord.CODEC_VERSION);
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
        Iterator<KeyvalRecord> records = zone.snapshotRecords();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public ZoneRecord next() {
                return toZoneRecord(records.next());
            }
        };
    }

    @Override
    public ZoneRecord export(String key) {
        KeyvalRecord r = zone.record(key);
        return r == null ? null : toZoneRecord(r);
    }

    private static ZoneRecord toZoneRecord(KeyvalRecord r) {
        String key = r.key();
        long ttl = r.ttlMs() == 0 ? ZoneRecord.NO_EXPIRY : r.ttlMs();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (r.isDelete()) {
            return new ZoneRecord(k, EMPTY, r.stamp(), true, ttl);
        }
        return new ZoneRecord(k, r.value().getBytes(StandardCharsets.UTF_8), r.stamp(), false, ttl);
    }

    @Override
    public boolean applyRemote(ZoneRecord record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String value = record.tombstone() ? null : new String(record.payload(), StandardCharsets.UTF_8);
        long ttl = record.expires() ? record.ttlMs() : 0;
        return zone.applyRemote(key, value, ttl, record.stamp()) == KeyvalZone.ApplyResult.APPLIED;
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
        // twice at worst, which the links' pending key sets absorb, never to nobody.
        zone.addListener(listener);
        if (old != null) {
            zone.removeListener(old);
        }
    }
}
