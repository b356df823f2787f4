package io.zonesync.http.sticky;

import io.zonesync.zone.ExportingIterator;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A sticky learn zone as the sync engine sees it (doc/protocol.md 5.2): key the 16-byte MD5 of the
 * session id, payload {@code sid_length:u8 sid idle:u32}, ttl the time left on the sender. Every
 * local create, re-bind or refresh is a change pushed to peers; the engine coalesces them.
 */
public final class StickyReplica implements ReplicatedZone<SessionKey> {
    /** Wire tag 2 (sticky), codec version 1 (doc/protocol.md 5.2); bump the version when the payload changes. */
    public static final ZoneType TYPE = new ZoneType("sticky", 2, 1);
    private static final long MAX_IDLE = 0xFFFF_FFFFL;

    private final SessionZone zone;
    private Consumer<SessionKey> listener;

    public StickyReplica(SessionZone zone) {
        this.zone = zone;
    }

    public SessionZone zone() {
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
        return zone.size();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        return new ExportingIterator<>(zone.keys(), this::export);
    }

    @Override
    public ZoneRecord export(SessionKey key) {
        SessionZone.Snapshot s = zone.export(key);
        if (s == null) {
            return null;
        }
        byte[] sid = s.sid().getBytes(StandardCharsets.ISO_8859_1);
        long idle = Math.min(MAX_IDLE, Math.max(0, s.idleMs()));
        ByteBuffer payload = ByteBuffer.allocate(1 + sid.length + 4);
        payload.put((byte) sid.length).put(sid).putInt((int) idle);
        return new ZoneRecord(key.bytes(), payload.array(), s.stamp(), false, zone.remainingMs(idle));
    }

    /** A session's use moves its last access, not its stamp: a reconnecting peer gets the whole zone. */
    @Override
    public boolean stampsEveryChange() {
        return false;
    }

    /** Merges a peer's record; malformed ones (bad key or payload length, tombstones) are ignored. */
    @Override
    public boolean applyRemote(ZoneRecord record) {
        SessionKey key = SessionKey.fromBytes(record.key());
        byte[] p = record.payload();
        if (key == null || record.tombstone() || p.length < 6) {
            return false;
        }
        int sidLength = p[0] & 0xFF;
        if (sidLength == 0 || p.length != 1 + sidLength + 4) {
            return false;
        }
        if (record.expires() && record.ttlMs() == 0) {
            return false;
        }
        String sid = new String(p, 1, sidLength, StandardCharsets.ISO_8859_1);
        long idle = ByteBuffer.wrap(p, 1 + sidLength, 4).getInt() & MAX_IDLE;
        return zone.merge(key, sid, idle, record.stamp());
    }

    @Override
    public synchronized void setChangeListener(ChangeListener<SessionKey> l) {
        var old = listener;
        listener = key -> l.changed(this, key);
        // The new one first, as for keyval: a change during a reload is told twice, never to nobody.
        zone.addListener(listener);
        if (old != null) {
            zone.removeListener(old);
        }
    }
}
