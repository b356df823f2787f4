package io.zonesync.sync.link;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The keys of one zone that changed locally and still have to be sent over one link, each at
 * most once however often it changed (ten writes to a key before it is sent are sent once), in the
 * order they first changed. Bounded by the zone's own key count.
 *
 * <p>Writers call {@link #add} after the zone holds the new value; the sender calls {@link #poll}
 * and reads the zone afterwards, so a write racing with the send is either read by it or queued
 * again: nothing is lost.
 */
public final class PendingKeys<K> {
    private final Set<K> queued = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<K> order = new ConcurrentLinkedQueue<>();

    /** Queues a key unless it is already queued; true if it was added. */
    public boolean add(K key) {
        if (queued.add(key)) {
            order.offer(key);
            return true;
        }
        return false;
    }

    /** The oldest queued key, or null; the key is no longer queued once returned. */
    public K poll() {
        K key = order.poll();
        if (key != null) {
            queued.remove(key);
        }
        return key;
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
}
