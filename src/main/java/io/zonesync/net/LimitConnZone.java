package io.zonesync.net;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@code limit_conn_zone}, http's or stream's: how many requests (or sessions) hold each key
 * now. Its memory is counted as nginx's slab allocator would spend it (a node of 48 bytes plus the
 * key, rounded up to a power of two, at least 64; the first page for the allocator), so a key that
 * would not fit is refused ({@code could not allocate node}) where nginx refuses it, in http and in
 * stream alike; what it decided is counted for the API ({@link #counts}). Kept per node:
 * limit_conn is not synchronised, as in NGINX Plus. Thread-safe.
 */
public final class LimitConnZone {
    /** nginx's least zone: eight pages. */
    public static final long MIN_SIZE = 8 * 4096;
    private static final long PAGE = 4096;

    /** What happened to one acquisition. */
    public enum Result { ACQUIRED, OVER_LIMIT, NO_MEMORY }

    private final String name;
    private final String key;
    private final long size;
    private final Map<String, Integer> counts = new HashMap<>();
    private final LimitConnCounts decided = new LimitConnCounts();
    private long used;

    public LimitConnZone(String name, String key, long size) {
        this.name = name;
        this.key = key;
        this.size = size;
    }

    public String name() {
        return name;
    }

    /** What the zone decided so far, as the API shows it. */
    public LimitConnCounts counts() {
        return decided;
    }

    /** Whether a zone of the next configuration with this key and size may take this one's place. */
    boolean sameAs(String otherKey, long otherSize) {
        return key.equals(otherKey) && size == otherSize;
    }

    /** Takes one place for {@code k} unless {@code limit} are taken or the zone is full. */
    public synchronized Result acquire(String k, int limit) {
        Integer n = counts.get(k);
        if (n == null) {
            long slot = slot(k);
            if (used + slot > size - PAGE) {
                return Result.NO_MEMORY;
            }
            used += slot;
            counts.put(k, 1);
            return Result.ACQUIRED;
        }
        if (n >= limit) {
            return Result.OVER_LIMIT;
        }
        counts.put(k, n + 1);
        return Result.ACQUIRED;
    }

    /** Gives back one place of {@code k}; the key's node goes when its last place does. */
    public synchronized void release(String k) {
        Integer n = counts.get(k);
        if (n == null) {
            return;
        }
        if (n <= 1) {
            counts.remove(k);
            used -= slot(k);
        } else {
            counts.put(k, n - 1);
        }
    }

    /** Places held for {@code k} now. */
    public synchronized int count(String k) {
        return counts.getOrDefault(k, 0);
    }

    private static long slot(String k) {
        long need = 48 + k.length();
        return Math.max(64, Long.highestOneBit(need - 1) << 1);
    }
}
