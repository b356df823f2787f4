package io.zonesync.keyval;

import java.nio.charset.StandardCharsets;
import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The storage behind a {@link KeyvalZone}: entries, the match index and the byte budget. Not
 * thread-safe; the zone's lock guards every call. Times are wall-clock ms passed in by the zone.
 */
final class KeyvalStore {

    /**
     * A stored key: a value (null for a tombstone), an absolute expiry (0 = never), its stamp and its
     * cost. Immutable. Laid out for the heap (it is held once per key): the value as UTF-8 bytes and
     * the stamp as two longs, so an entry is one 48-byte object plus the value's bytes; the value
     * string and the stamp are made again when asked for.
     */
    static final class Entry {
        private final byte[] value;
        private final long expireAt;
        private final long hlc;
        private final long node;
        private final int cost;

        Entry(String value, long expireAt, Stamp stamp, long cost) {
            this(value == null ? null : value.getBytes(StandardCharsets.UTF_8), expireAt, stamp, cost);
        }

        Entry(byte[] utf8Value, long expireAt, Stamp stamp, long cost) {
            this.value = utf8Value;
            this.expireAt = expireAt;
            this.hlc = stamp.hlc();
            this.node = stamp.node();
            this.cost = (int) Math.min(Integer.MAX_VALUE, cost);
        }

        String value() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        /** The value's UTF-8 bytes themselves, not a copy (null for a tombstone): never to be modified. */
        byte[] valueBytes() {
            return value;
        }

        boolean isTombstone() {
            return value == null;
        }

        long expireAt() {
            return expireAt;
        }

        Stamp stamp() {
            return new Stamp(hlc, node);
        }

        /** Whether this entry's stamp is older than {@code other} (without making a Stamp). */
        boolean isOlderThan(Stamp other) {
            int c = Long.compareUnsigned(hlc, other.hlc());
            return c < 0 || c == 0 && Long.compareUnsigned(node, other.node()) < 0;
        }

        long cost() {
            return cost;
        }

        boolean liveAt(long now) {
            return value != null && (expireAt == 0 || now < expireAt);
        }

        boolean expiredAt(long now) {
            return expireAt != 0 && now >= expireAt;
        }
    }

    private final long size;
    private final KeyvalType type;
    private final long tombstoneTtlMs;
    private final boolean keepTombstones;
    private final Map<String, Entry> entries = new HashMap<>();
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

    long cost(String key, String value) {
        long c = KeyvalZone.ENTRY_OVERHEAD + utf8Length(key) + (value == null ? 0 : utf8Length(value));
        return type == KeyvalType.STRING ? c : c + KeyvalZone.INDEX_OVERHEAD;
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    Entry live(String key, long now) {
        Entry e = entries.get(key);
        return e != null && e.liveAt(now) ? e : null;
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
        return entries.size();
    }

    /** Stored pairs (not tombstones), swept or not. */
    long pairs() {
        return pairs;
    }

    void forEach(BiConsumer<String, Entry> action) {
        entries.forEach(action);
    }

    boolean anyLive(long now) {
        for (Entry e : entries.values()) {
            if (e.liveAt(now)) {
                return true;
            }
        }
        return false;
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
        List<Map.Entry<String, Entry>> tombstones = new ArrayList<>();
        long tombstoneBytes = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().isTombstone()) {
                tombstones.add(e);
                tombstoneBytes += e.getValue().cost();
            }
        }
        if (used - tombstoneBytes + delta > size) {
            return false;
        }
        tombstones.sort(Comparator.comparing(e -> e.getValue().stamp()));
        List<String> drop = new ArrayList<>();
        long after = used;
        for (Map.Entry<String, Entry> t : tombstones) {
            if (after + delta <= size) {
                break;
            }
            drop.add(t.getKey());
            after -= t.getValue().cost();
        }
        drop.forEach(this::remove);
        return true;
    }

    int purgeExpired(long now) {
        List<String> dead = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (e.expiredAt(now)) {
                dead.add(k);
            }
        });
        dead.forEach(this::remove);
        return dead.size();
    }

    void put(String key, String value, long expireAt, Stamp stamp) {
        put(key, value, expireAt, stamp, cost(key, value));
    }

    /** Stores a pair whose {@link #cost} the caller has just computed (it walks both strings). */
    void put(String key, String value, long expireAt, Stamp stamp, long cost) {
        store(key, new Entry(value, expireAt, stamp, cost));
    }

    /** The same with the value's UTF-8 bytes, kept as they are (the caller gives up the array). */
    void put(String key, byte[] utf8Value, long expireAt, Stamp stamp, long cost) {
        store(key, new Entry(utf8Value, expireAt, stamp, cost));
    }

    /** {@link #cost} of a value given as UTF-8 bytes. */
    long cost(String key, byte[] utf8Value) {
        long c = KeyvalZone.ENTRY_OVERHEAD + utf8Length(key) + utf8Value.length;
        return type == KeyvalType.STRING ? c : c + KeyvalZone.INDEX_OVERHEAD;
    }

    /**
     * Deletes a key: a tombstone when the zone keeps them, living {@code tombstoneTtlMs} (or
     * {@code atLeastMs}, the lifetime the peer that sent the delete asks for, if longer) and at
     * least as long as the deleted pair would have (a peer may hold a copy until then).
     */
    void delete(String key, Entry old, Stamp stamp, long now, long atLeastMs) {
        if (!keepTombstones) {
            remove(key);
            return;
        }
        long until = now + Math.max(tombstoneTtlMs, atLeastMs);
        if (old != null && !old.isTombstone() && old.expireAt() > until) {
            until = old.expireAt();
        }
        store(key, new Entry((byte[]) null, until, stamp, cost(key, (String) null)));
    }

    void store(String key, Entry entry) {
        Entry old = entries.put(key, entry);
        pairs += (entry.isTombstone() ? 0 : 1) - (old != null && !old.isTombstone() ? 1 : 0);
        if (old != null) {
            used -= old.cost();
            if (index != null && !old.isTombstone()) {
                index.remove(key);
            }
        }
        used += entry.cost();
        if (index != null && !entry.isTombstone()) {
            index.add(key);
        }
    }

    void remove(String key) {
        Entry old = entries.remove(key);
        if (old != null) {
            pairs -= old.isTombstone() ? 0 : 1;
            used -= old.cost();
            if (index != null && !old.isTombstone()) {
                index.remove(key);
            }
            }
    }

    /** Bytes of {@code s} in UTF-8, without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
