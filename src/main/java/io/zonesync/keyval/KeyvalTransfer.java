package io.zonesync.keyval;

import io.zonesync.keyval.KeyvalException.Reason;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A keyval zone's entries as they enter and leave it whole, for replication and the state file:
 * a peer's record merged by last writer wins ({@link #applyRemote}), one key or every key exported
 * as the caller encodes it (links, the journal), and the state file's entries saved and put back.
 * Shares its zone's store and lock; {@link KeyvalZone} is what the API and variables use.
 */
public final class KeyvalTransfer {
    /** What {@link #applyRemote} did with a peer's record. */
    public enum ApplyResult {
        APPLIED,
        /** The local record is as new or newer; nothing changed. */
        STALE,
        /** The record does not fit the zone's budget; nothing changed. */
        NO_ROOM,
        /** The key is not valid for this zone's type; nothing changed. */
        INVALID_KEY
    }

    private final KeyvalZone zone;
    private final KeyvalStore store;
    private final ReentrantReadWriteLock lock;
    private final Clock clock;
    private final StampSource stamps;

    KeyvalTransfer(KeyvalZone zone, KeyvalStore store, ReentrantReadWriteLock lock, Clock clock, StampSource stamps) {
        this.zone = zone;
        this.store = store;
        this.lock = lock;
        this.clock = clock;
        this.stamps = stamps;
    }

    /**
     * Merges a peer's record, last writer wins by stamp: applied if the key is unknown here or the
     * remote stamp is newer (tombstones included), else ignored. {@code value} null is a delete.
     * {@code ttlMs} is the remaining lifetime (0 = none), capped at this zone's timeout. The stamp
     * is observed so later local writes are newer. Local-change listeners are not told.
     */
    public ApplyResult applyRemote(String key, String value, long ttlMs, Stamp stamp) {
        Objects.requireNonNull(key, "key");
        return applyRemoteUtf8(key, KeyvalRecord.utf8(key), value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                ttlMs, stamp);
    }

    /**
     * The same with the key also as its UTF-8 form ({@link KeyvalRecord#utf8} of {@code key}) and the
     * value as UTF-8 bytes (null for a delete), which the zone copies as they are: the caller must
     * pass well-formed UTF-8. The key is hashed, measured and stored from its bytes, as they came.
     */
    ApplyResult applyRemoteUtf8(String key, byte[] keyUtf8, byte[] value, long ttlMs, Stamp stamp) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stamp, "stamp");
        stamps.observe(stamp);
        if (value != null && !zone.validKey(key)) {
            return ApplyResult.INVALID_KEY;
        }
        int hash = KeyvalRecord.hash(keyUtf8);
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            byte[] old = store.entry(keyUtf8, hash);
            if (old != null && !KeyvalRecord.isOlderThan(old, stamp)) {
                return ApplyResult.STALE;
            }
            if (value == null) {
                if (old == null && !zone.isSync()) {
                    return ApplyResult.STALE;
                }
                store.delete(key, old, stamp, now, Math.max(0, ttlMs)); // as long as the sender asks, at least
            } else {
                long timeoutMs = zone.timeoutMs();
                long ttl = timeoutMs > 0 && (ttlMs <= 0 || ttlMs > timeoutMs) ? timeoutMs : Math.max(0, ttlMs);
                long cost = store.cost(keyUtf8, value);
                if (!store.makeRoom(cost - (old == null ? 0 : store.cost(old)), now)) {
                    return ApplyResult.NO_ROOM;
                }
                store.put(keyUtf8, hash, value, ttl == 0 ? 0 : now + ttl, stamp);
            }
        } finally {
            lock.writeLock().unlock();
        }
        zone.notifyRemote(key);
        return ApplyResult.APPLIED;
    }

    /** What the sync layer makes of one held, unexpired record: lets it read the record's bytes as they are. */
    interface EntryExport<T> {
        T export(byte[] record, long now);
    }

    /** One key's record as {@code export} makes it, or null if there is none or it expired. */
    <T> T record(String key, EntryExport<T> export) {
        return zone.read(() -> {
            byte[] r = store.entry(key);
            long now = clock.millis();
            return r == null || KeyvalRecord.expiredAt(r, now) ? null : export.export(r, now);
        });
    }

    /** {@link #record} of {@code keys} from {@code from} to {@code to} into {@code out}, under one hold of the lock. */
    <T> void records(List<String> keys, int from, int to, T[] out, EntryExport<T> export) {
        zone.read(() -> {
            long now = clock.millis();
            for (int i = from; i < to; i++) {
                byte[] r = store.entry(keys.get(i));
                out[i] = r == null || KeyvalRecord.expiredAt(r, now) ? null : export.export(r, now);
            }
            return null;
        });
    }

    /**
     * What a snapshot sends: every record held as of now (records are never changed, so the copy
     * of their references stays consistent without the lock: one array, no object per key),
     * converted by {@code export} only as they are sent; expired ones are skipped.
     */
    <T> Iterator<T> snapshot(EntryExport<T> export) {
        return sending(zone.read(() -> store.select(null)), export);
    }

    /**
     * As {@link #snapshot}, of only the records stamped above {@code hlc} (unsigned), for a peer that
     * holds the rest (delta resync): their stamps are compared under the lock, so a resync that
     * owes a few records copies a few references, not the zone's.
     */
    <T> Iterator<T> changedSince(long hlc, EntryExport<T> export) {
        return sending(zone.read(() -> store.select(r -> Long.compareUnsigned(KeyvalRecord.hlc(r), hlc) > 0)), export);
    }

    /** The copy's records, converted by {@code export} as they are sent; expired ones are skipped. */
    private <T> Iterator<T> sending(byte[][] records, EntryExport<T> export) {
        return new Iterator<>() {
            private int next;
            private T ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    long now = clock.millis(); // lifetimes count from when the record is taken
                    while (ahead == null && next < records.length) {
                        byte[] r = records[next];
                        records[next++] = null; // sent: let the copy go as the snapshot advances
                        if (!KeyvalRecord.expiredAt(r, now)) {
                            ahead = export.export(r, now);
                        }
                    }
                }
                return ahead != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T r = ahead;
                ahead = null;
                return r;
            }
        };
    }

    /** Every unexpired record, tombstones included, sorted by key (UTF-8 byte order): what the state file saves. */
    List<byte[]> snapshot() {
        byte[][] out = zone.read(() -> {
            long now = clock.millis();
            return store.select(r -> !KeyvalRecord.expiredAt(r, now));
        });
        Arrays.sort(out, KeyvalRecord.BY_KEY);
        return Arrays.asList(out);
    }

    /**
     * Puts back records read from the state file, all or none; expired ones (and tombstones in a
     * zone without sync) are skipped. Fails when they do not fit or a key is invalid for the type.
     */
    void restore(List<byte[]> loaded) throws KeyvalException {
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            List<byte[]> keep = new ArrayList<>();
            long need = 0;
            for (byte[] in : loaded) {
                boolean tombstone = KeyvalRecord.isTombstone(in);
                if (KeyvalRecord.expiredAt(in, now) || (tombstone && !zone.isSync())) {
                    continue;
                }
                if (!tombstone && !zone.validKey(KeyvalRecord.key(in))) {
                    throw zone.invalidKey(KeyvalRecord.key(in));
                }
                need += store.cost(in);
                keep.add(in);
            }
            if (store.used() + need > zone.sizeBytes()) {
                throw new KeyvalException(Reason.ZONE_FULL, null, "zone \"" + zone.name() + "\" of " + zone.sizeBytes()
                        + " bytes is too small for the " + need + " bytes of pairs to restore");
            }
            for (byte[] in : keep) {
                stamps.observe(KeyvalRecord.stamp(in));
                store.store(KeyvalRecord.key(in), in);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
