package io.zonesync.keyval;

import io.zonesync.zone.Stamp;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The storage behind a {@link KeyvalZone}: its records ({@link KeyvalRecord}, one array per key, in
 * a {@link KeyvalTable}), the match index and the byte budget. Not thread-safe; the zone's lock
 * guards every call. Times are wall-clock ms passed in by the zone.
 */
final class KeyvalStore {
    private final long size;
    private final KeyvalType type;
    private final long tombstoneTtlMs;
    private final boolean keepTombstones;
    private final KeyvalTable records = new KeyvalTable();
    private final MatchIndex index;
    private long used;
    private long pairs;

    KeyvalStore(long size, KeyvalType type, boolean keepTombstones, long tombstoneTtlMs) {
        this.size = size;
        this.type = type;
        this.keepTombstones = keepTombstones;
        this.tombstoneTtlMs = tombstoneTtlMs;
        this.index = MatchIndex.forType(type);
    }

    long used() {
        return used;
    }

    long free() {
        return size - used;
    }

    /** What a pair (or, {@code value} null, a tombstone) counts against the zone's size. */
    long cost(String key, String value) {
        return cost(KeyvalRecord.utf8Length(key), value == null ? 0 : KeyvalRecord.utf8Length(value));
    }

    /** {@link #cost} of a value given as UTF-8 bytes. */
    long cost(String key, byte[] utf8Value) {
        return cost(KeyvalRecord.utf8Length(key), utf8Value.length);
    }

    /** {@link #cost} of a key and a value both given as UTF-8 bytes. */
    long cost(byte[] keyUtf8, byte[] utf8Value) {
        return cost(keyUtf8.length, utf8Value.length);
    }

    /** {@link #cost} of a held record: a function of its lengths, so it is not stored. */
    long cost(byte[] record) {
        return cost(KeyvalRecord.keyLength(record), KeyvalRecord.valueLength(record));
    }

    /** {@link #cost} of a pair whose key and value take {@code keyBytes} and {@code valueBytes} in UTF-8. */
    long cost(long keyBytes, long valueBytes) {
        long c = KeyvalZone.ENTRY_OVERHEAD + keyBytes + valueBytes;
        return type == KeyvalType.STRING ? c : c + KeyvalZone.INDEX_OVERHEAD;
    }

    /** The record of {@code key}, tombstone or expired included, or null. */
    byte[] entry(String key) {
        return records.get(key);
    }

    /** {@link #entry(String)} with the key's {@link KeyvalRecord#hash(String) hash} already computed. */
    byte[] entry(String key, int hash) {
        return records.get(key, hash);
    }

    /** {@link #entry(String)} of a key given as its UTF-8 form and {@link KeyvalRecord#hash(byte[]) hash}. */
    byte[] entry(byte[] keyUtf8, int hash) {
        return records.get(keyUtf8, hash);
    }

    /** The record of {@code key} if it holds a live value, else null. */
    byte[] live(String key, long now) {
        byte[] r = records.get(key);
        return r != null && KeyvalRecord.liveAt(r, now) ? r : null;
    }

    /** The key the variable lookup matches, by the zone's type, or null. */
    String match(String value, long now) {
        if (index == null) {
            return live(value, now) == null ? null : value;
        }
        return index.longest(value, k -> live(k, now) != null);
    }

    /** Keys stored, tombstones included. */
    int size() {
        return records.size();
    }

    /** Stored pairs (not tombstones), swept or not. */
    long pairs() {
        return pairs;
    }

    void forEach(Consumer<byte[]> action) {
        records.forEach(action);
    }

    /** The records {@code test} accepts (every record if it is null), as a new array: see {@link KeyvalTable#select}. */
    byte[][] select(Predicate<byte[]> test) {
        return records.select(test);
    }

    boolean anyLive(long now) {
        return records.any(r -> KeyvalRecord.liveAt(r, now));
    }

    /**
     * Whether {@code delta} more bytes fit. If not, reclaims expired entries and then, only if
     * that makes it fit, tombstones oldest first; otherwise changes nothing a reader could see.
     */
    boolean makeRoom(long delta, long now) {
        if (used + delta <= size) {
            return true;
        }
        purgeExpired(now);
        if (used + delta <= size) {
            return true;
        }
        byte[][] tombstones = records.select(KeyvalRecord::isTombstone);
        long tombstoneBytes = 0;
        for (byte[] r : tombstones) {
            tombstoneBytes += cost(r);
        }
        if (used - tombstoneBytes + delta > size) {
            return false;
        }
        Arrays.sort(tombstones, KeyvalRecord.BY_STAMP);
        Set<byte[]> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        long after = used;
        for (byte[] t : tombstones) {
            if (after + delta <= size) {
                break;
            }
            drop.add(t);
            after -= cost(t);
        }
        records.removeIf(drop::contains, this::forget);
        return true;
    }

    int purgeExpired(long now) {
        int before = records.size();
        records.removeIf(r -> KeyvalRecord.expiredAt(r, now), this::forget);
        return before - records.size();
    }

    /** Stores a pair ({@code value} not null) or a tombstone: see {@link KeyvalRecord#of}. */
    void put(String key, String value, long expireAt, Stamp stamp) {
        store(key, KeyvalRecord.of(key, value, expireAt, stamp));
    }

    /**
     * The same with what a local write has already worked out: the key's hash and the UTF-8
     * lengths of key and value, so a write walks its text once.
     */
    void put(String key, int hash, int keyBytes, String value, int valueBytes, long expireAt, Stamp stamp) {
        byte[] record = KeyvalRecord.of(key, keyBytes, value, valueBytes, expireAt, stamp);
        added(records.put(key, hash, record), record);
    }

    /** The same with the value's UTF-8 bytes, copied into the record. */
    void put(String key, byte[] utf8Value, long expireAt, Stamp stamp) {
        store(key, KeyvalRecord.of(key, utf8Value, expireAt, stamp));
    }

    /** The same with the key as its UTF-8 form and hash too: a peer's record, stored without encoding its key again. */
    void put(byte[] keyUtf8, int hash, byte[] utf8Value, long expireAt, Stamp stamp) {
        byte[] record = KeyvalRecord.of(keyUtf8, utf8Value, expireAt, stamp);
        added(records.put(keyUtf8, hash, record), record);
    }

    /**
     * Deletes a key: a tombstone when the zone keeps them, living {@code tombstoneTtlMs} (or
     * {@code atLeastMs}, the lifetime the peer that sent the delete asks for, if longer) and at
     * least as long as the deleted pair would have (a peer may hold a copy until then).
     */
    void delete(String key, byte[] old, Stamp stamp, long now, long atLeastMs) {
        if (!keepTombstones) {
            remove(key);
            return;
        }
        long until = now + Math.max(tombstoneTtlMs, atLeastMs);
        if (old != null && !KeyvalRecord.isTombstone(old) && KeyvalRecord.expireAt(old) > until) {
            until = KeyvalRecord.expireAt(old);
        }
        store(key, KeyvalRecord.of(key, (byte[]) null, until, stamp));
    }

    /** Stores {@code record}, whose key is {@code key}, in place of the key's old record. */
    void store(String key, byte[] record) {
        added(records.put(key, record), record);
    }

    /** Counts {@code record}, just stored in place of {@code old} (null if its key is new). */
    private void added(byte[] old, byte[] record) {
        if (old != null) {
            forget(old);
        }
        boolean tombstone = KeyvalRecord.isTombstone(record);
        pairs += tombstone ? 0 : 1;
        used += cost(record);
        if (index != null && !tombstone) {
            index.add(KeyvalRecord.key(record)); // the key as held: what removing the record takes out
        }
    }

    void remove(String key) {
        byte[] old = records.remove(key);
        if (old != null) {
            forget(old);
        }
    }

    /** The accounting of a record just taken out of the table. */
    private void forget(byte[] old) {
        used -= cost(old);
        if (!KeyvalRecord.isTombstone(old)) {
            pairs--;
            if (index != null) {
                index.remove(KeyvalRecord.key(old));
            }
        }
    }
}
