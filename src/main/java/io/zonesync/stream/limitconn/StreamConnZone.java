package io.zonesync.stream.limitconn;

import io.zonesync.net.LimitConnCounts;
import java.util.HashMap;
import java.util.Map;

/**
 * One stream {@code limit_conn_zone}: how many sessions hold each key now, and what it decided so
 * far for the API ({@link #counts}). Thread-safe.
 */
final class StreamConnZone {
    private final String name;
    private final String key;
    private final long size;
    private final Map<String, Integer> counts = new HashMap<>();
    private final LimitConnCounts decided = new LimitConnCounts();

    StreamConnZone(String name, String key, long size) {
        this.name = name;
        this.key = key;
        this.size = size;
    }

    String name() {
        return name;
    }

    LimitConnCounts counts() {
        return decided;
    }

    /** Whether a zone of the next configuration with this key and size may take this one's place. */
    boolean sameAs(String otherKey, long otherSize) {
        return key.equals(otherKey) && size == otherSize;
    }

    /**
     * Takes a place for {@code k} unless {@code limit} are taken; in a dry run ({@code cap} above
     * {@code limit}) the place is taken anyway and false says the limit was passed.
     */
    synchronized boolean acquire(String k, int cap, int limit) {
        int n = counts.getOrDefault(k, 0);
        if (n >= cap) {
            return false;
        }
        counts.put(k, n + 1);
        return n < limit;
    }

    /** Gives back one place of {@code k}. */
    synchronized void release(String k) {
        Integer n = counts.get(k);
        if (n == null) {
            return;
        }
        if (n <= 1) {
            counts.remove(k);
        } else {
            counts.put(k, n - 1);
        }
    }
}
