package io.zonesync.http.proxycache;

import io.zonesync.zone.ExportingIterator;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A cache zone's purges as the sync engine sees them (doc/protocol.md 5.5): key the purged cache
 * key as UTF-8 (a wildcard ends in {@code *}), an empty payload, the purge's stamp, ttl the time
 * the sender still remembers it. Every local purge is a change pushed to peers.
 */
public final class CachePurgeReplica implements ReplicatedZone<String> {
    /** Wire tag 6 (cache purge), codec version 1 (doc/protocol.md 5.5). */
    public static final ZoneType TYPE = new ZoneType("cache_purge", 6, 1);

    private final CachePurges zone;
    private Consumer<String> listener;

    public CachePurgeReplica(CachePurges zone) {
        this.zone = zone;
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
        return new ExportingIterator<>(zone.keys().iterator(), this::export);
    }

    @Override
    public ZoneRecord export(String key) {
        CachePurges.Purge p = zone.get(key);
        if (p == null) {
            return null;
        }
        long ttl = p.expiresAt() - zone.now();
        if (ttl <= 0) {
            return null;
        }
        return new ZoneRecord(key.getBytes(StandardCharsets.UTF_8), new byte[0], p.stamp(), false, ttl);
    }

    /** Merges a peer's purge; malformed records (a payload, a tombstone, a key not UTF-8, no ttl) are ignored. */
    @Override
    public boolean applyRemote(ZoneRecord record) {
        if (record.tombstone() || record.payload().length != 0 || record.key().length == 0) {
            return false;
        }
        if (record.expires() && record.ttlMs() <= 0) {
            return false;
        }
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(record.key())).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return zone.merge(key, record.stamp(), record.expires() ? record.ttlMs() : -1);
    }

    @Override
    public synchronized void setChangeListener(ChangeListener<String> l) {
        Consumer<String> old = listener;
        listener = key -> l.changed(this, key);
        // the new one first: a purge during a reload is told twice, never to nobody
        zone.addListener(listener);
        if (old != null) {
            zone.removeListener(old);
        }
    }
}
