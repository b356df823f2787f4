package io.zonesync.sync.link;

import java.util.Arrays;

/**
 * The keys of one zone that changed locally and still have to be sent over one link, each at
 * most once however often it changed (ten writes to a key before it is sent are sent once), in the
 * order they first changed, each with the time it was first queued (for the link's replication
 * lag). Bounded by the zone's own key count.
 *
 * <p>Writers call {@link #add} after the zone holds the new value; the sender calls {@link #poll}
 * and reads the zone afterwards, so a write racing with the send is either read by it or queued
 * again: nothing is lost.
 *
 * <p>Laid out for a queue that may hold a whole burst of writes (a million keys while the link
 * catches up): a ring of keys with their times in a parallel {@code long[]}, and an
 * open-addressing set of the same keys (linear probing, deletion by backward shift), so queuing
 * a key allocates nothing and holds about 20 bytes beside the key itself, where a concurrent map
 * and queue made three objects per key for the young collector to copy. One lock guards both;
 * writers and the one sender each hold it for a few array accesses.
 */
public final class PendingKeys<K> {
    /** Capacity below which an emptied queue keeps its arrays. */
    private static final int KEEP = 1024;

    private Object[] ring = new Object[16];
    private long[] times = new long[16];
    private int head;
    private int count;
    /** The queued keys again, for "is it queued already": twice the ring's length, so at most half full. */
    private Object[] set = new Object[32];

    /** Queues a key unless it is already queued (it keeps its first time); true if it was added. */
    public synchronized boolean add(K key, long nowMillis) {
        int mask = set.length - 1;
        int i = slot(key, mask);
        for (Object o; (o = set[i]) != null; i = (i + 1) & mask) {
            if (o.equals(key)) {
                return false;
            }
        }
        set[i] = key;
        if (count == ring.length) {
            grow();
        }
        int tail = (head + count) & (ring.length - 1);
        ring[tail] = key;
        times[tail] = nowMillis;
        count++;
        return true;
    }

    /** The oldest queued key with the time it was queued, or null; the key is no longer queued once returned. */
    @SuppressWarnings("unchecked")
    public synchronized Entry<K> poll() {
        if (count == 0) {
            return null;
        }
        K key = (K) ring[head];
        long at = times[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        count--;
        if (count == 0 && ring.length > KEEP) {
            clearArrays();
        } else {
            unset(key);
        }
        return new Entry<>(key, at);
    }

    /** When the oldest key still queued was queued, or {@link Long#MAX_VALUE} when none is. */
    public synchronized long oldestQueuedAt() {
        return count == 0 ? Long.MAX_VALUE : times[head];
    }

    public synchronized int size() {
        return count;
    }

    public synchronized boolean isEmpty() {
        return count == 0;
    }

    public synchronized void clear() {
        clearArrays();
    }

    private void clearArrays() {
        ring = new Object[16];
        times = new long[16];
        set = new Object[32];
        head = 0;
        count = 0;
    }

    /** The high bits folded into the low ones, as HashMap does: keys written in a run stay near each other. */
    private static int slot(Object key, int mask) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }

    /** Doubles the ring (unrolled to start at 0) and the set. */
    private void grow() {
        int n = ring.length;
        Object[] r = new Object[n * 2];
        long[] t = new long[n * 2];
        int first = n - head;
        System.arraycopy(ring, head, r, 0, first);
        System.arraycopy(ring, 0, r, first, head);
        System.arraycopy(times, head, t, 0, first);
        System.arraycopy(times, 0, t, first, head);
        ring = r;
        times = t;
        head = 0;
        rehash(n * 4);
    }

    private void rehash(int capacity) {
        Object[] old = set;
        set = new Object[capacity];
        int mask = capacity - 1;
        for (Object o : old) {
            if (o != null) {
                int i = slot(o, mask);
                while (set[i] != null) {
                    i = (i + 1) & mask;
                }
                set[i] = o;
            }
        }
    }

    /** Removes a key known to be in the set, shifting back the run after it so probes stay whole. */
    private void unset(Object key) {
        int mask = set.length - 1;
        int i = slot(key, mask);
        while (!set[i].equals(key)) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (i + 1) & mask; set[j] != null; j = (j + 1) & mask) {
            int home = slot(set[j], mask);
            // set[j] may move into the hole if its home is not in (hole, j] (cyclically)
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                set[hole] = set[j];
                hole = j;
            }
        }
        set[hole] = null;
    }

    /** A key taken from the queue and when it was first queued (ms on the link host's clock). */
    public record Entry<K>(K key, long queuedAt) {
    }
}
