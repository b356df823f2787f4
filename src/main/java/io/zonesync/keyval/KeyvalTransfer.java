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
import java.util.Map;
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
        return applyRemoteUtf8(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), ttlMs, stamp);
    }

    /**
     * The same with the value as UTF-8 bytes (null for a delete), which the zone keeps as they are:
     * the caller gives up the array and must pass well-formed UTF-8.
     */
    ApplyResult applyRemoteUtf8(String key, byte[] value, long ttlMs, Stamp stamp) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stamp, "stamp");
        stamps.observe(stamp);
        if (value != null && !zone.validKey(key)) {
            return ApplyResult.INVALID_KEY;
        }
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            KeyvalStore.Entry old = store.entry(key);
            if (old != null && !old.isOlderThan(stamp)) {
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
                long cost = store.cost(key, value);
                if (!store.makeRoom(cost - (old == null ? 0 : old.cost()), now)) {
                    return ApplyResult.NO_ROOM;
                }
                store.put(key, value, ttl == 0 ? 0 : now + ttl, stamp, cost);
            }
        } finally {
            lock.writeLock().unlock();
        }
        zone.notifyRemote(key);
        return ApplyResult.APPLIED;
    }

    /** The keys and entries of the zone at one moment, side by side (grown as needed). */
    private static final class EntryCopy {
        String[] keys;
        KeyvalStore.Entry[] entries;
        int size;

        EntryCopy(int capacity) {
            this.keys = new String[Math.max(1, capacity)];
            this.entries = new KeyvalStore.Entry[keys.length];
        }

        void add(String key, KeyvalStore.Entry entry) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                entries = Arrays.copyOf(entries, size * 2);
            }
            keys[size] = key;
            entries[size++] = entry;
        }
    }

    /** What the sync layer makes of one held, unexpired entry: lets it read the entry's bytes as they are. */
    interface EntryExport<T> {
        T export(String key, KeyvalStore.Entry entry, long now);
    }

    /** One key's entry as {@code export} makes it, or null if there is none or it expired. */
    <T> T record(String key, EntryExport<T> export) {
        return zone.read(() -> {
            KeyvalStore.Entry e = store.entry(key);
            long now = clock.millis();
            return e == null || e.expiredAt(now) ? null : export.export(key, e, now);
        });
    }

    /**
     * What a snapshot sends: every key held with its entry as of now (entries are immutable, so
     * the copy stays consistent without the lock; two arrays of references, no object per key),
     * converted by {@code export} only as they are sent; expired entries are skipped.
     */
    <T> Iterator<T> snapshot(EntryExport<T> export) {
        return sending(zone.read(() -> {
            EntryCopy c = new EntryCopy(store.size());
            store.forEach(c::add);
            return c;
        }), export);
    }

    /**
     * As {@link #snapshot}, of only the entries stamped above {@code hlc} (unsigned), for a peer that
     * holds the rest (delta resync): their stamps are compared under the lock, so a resync that
     * owes a few records copies a few references, not the zone's.
     */
    <T> Iterator<T> changedSince(long hlc, EntryExport<T> export) {
        return sending(zone.read(() -> {
            EntryCopy c = new EntryCopy(16);
            store.forEach((k, e) -> {
                if (Long.compareUnsigned(e.stamp().hlc(), hlc) > 0) {
                    c.add(k, e);
                }
            });
            return c;
        }), export);
    }

    /** The copy's entries, converted by {@code export} as they are sent; expired ones are skipped. */
    private <T> Iterator<T> sending(EntryCopy copy, EntryExport<T> export) {
        String[] keys = copy.keys;
        KeyvalStore.Entry[] entries = copy.entries;
        int size = copy.size;
        return new Iterator<>() {
            private int next;
            private T ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    long now = clock.millis(); // lifetimes count from when the record is taken
                    while (ahead == null && next < size) {
                        KeyvalStore.Entry e = entries[next];
                        String k = keys[next];
                        keys[next] = null; // sent: let the copy go as the snapshot advances
                        entries[next++] = null;
                        if (!e.expiredAt(now)) {
                            ahead = export.export(k, e, now);
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

    /** Every unexpired entry with absolute times, tombstones included, sorted by key: what the state file saves. */
    List<Map.Entry<String, KeyvalStore.Entry>> snapshot() {
        List<Map.Entry<String, KeyvalStore.Entry>> out = zone.read(() -> {
            long now = clock.millis();
            List<Map.Entry<String, KeyvalStore.Entry>> list = new ArrayList<>();
            store.forEach((k, e) -> {
                if (!e.expiredAt(now)) {
                    list.add(Map.entry(k, e));
                }
            });
            return list;
        });
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    /**
     * Puts back entries read from the state file, all or none; expired ones (and tombstones in a
     * zone without sync) are skipped. Fails when they do not fit or a key is invalid for the type.
     */
    void restore(List<Map.Entry<String, KeyvalStore.Entry>> loaded) throws KeyvalException {
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            List<Map.Entry<String, KeyvalStore.Entry>> keep = new ArrayList<>();
            long need = 0;
            for (Map.Entry<String, KeyvalStore.Entry> e : loaded) {
                KeyvalStore.Entry in = e.getValue();
                if (in.expiredAt(now) || (in.isTombstone() && !zone.isSync())) {
                    continue;
                }
                if (!in.isTombstone() && !zone.validKey(e.getKey())) {
                    throw zone.invalidKey(e.getKey());
                }
                need += store.cost(e.getKey(), in.value());
                keep.add(e);
            }
            if (store.used() + need > zone.sizeBytes()) {
                throw new KeyvalException(Reason.ZONE_FULL, null, "zone \"" + zone.name() + "\" of " + zone.sizeBytes()
                        + " bytes is too small for the " + need + " bytes of pairs to restore");
            }
            for (Map.Entry<String, KeyvalStore.Entry> e : keep) {
                KeyvalStore.Entry in = e.getValue();
                stamps.observe(in.stamp());
                store.put(e.getKey(), in.value(), in.expireAt(), in.stamp());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
