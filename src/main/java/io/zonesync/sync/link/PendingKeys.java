package io.zonesync.sync.link;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The keys of one zone that changed locally and still have to be sent over one link, each at
 * most once however often it changed (ten writes to a key before it is sent are sent once), in the
 * order they first changed, each with the time it was first queued (for the link's replication
 * lag). Bounded by the zone's own key count.
 *
 * <p>Writers call {@link #add} after the zone holds the new value; the sender calls {@link #poll}
 * and reads the zone afterwards, so a write racing with the send is either read by it or queued
 * again: nothing is lost.
 */
public final class PendingKeys<K> {
    private final ConcurrentHashMap<K, Long> queued = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<K> order = new ConcurrentLinkedQueue<>();

    /** Queues a key unless it is already queued (it keeps its first time); true if it was added. */
    public boolean add(K key, long nowMillis) {
        if (queued.putIfAbsent(key, nowMillis) == null) {
            order.offer(key);
            return true;
        }
        return false;
    }

    /** The oldest queued key with the time it was queued, or null; the key is no longer queued once returned. */
    public Entry<K> poll() {
        K key = order.poll();
        if (key == null) {
            return null;
        }
        Long at = queued.remove(key);
        return new Entry<>(key, at == null ? Long.MAX_VALUE : at);
    }

    /** When the oldest key still queued was queued, or {@link Long#MAX_VALUE} when none is. */
    public long oldestQueuedAt() {
        K head = order.peek();
        Long at = head == null ? null : queued.get(head);
        return at == null ? Long.MAX_VALUE : at;
    }

    public int size() {
        return queued.size();
    }

    public boolean isEmpty() {
        return queued.isEmpty();
    }

    public void clear() {
        order.clear();
        queued.clear();
    }

    /** A key taken from the queue and when it was first queued (ms on the link host's clock). */
    public record Entry<K>(K key, long queuedAt) {
    }
}
