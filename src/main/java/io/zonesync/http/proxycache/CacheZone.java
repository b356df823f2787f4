package io.zonesync.http.proxycache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A keys zone: what is known of each cached key (whether a file holds it, until when it is fresh,
 * its size, how often it was asked for), least recently used first. Its memory is bounded as
 * nginx's is: a node costs {@link #NODE_BYTES} of the zone's size, and when the zone is full the
 * least recently used node goes. Nodes unused for {@code inactive} go, and while the files add up
 * to more than {@code max_size} the least recently used go; each change returns the hashes whose
 * files are to be deleted. Thread-safe.
 */
final class CacheZone {
    /** What one key costs of the zone's size (nginx: about 8 thousand keys a megabyte). */
    static final long NODE_BYTES = 128;

    private final CachePath path;
    private final Clock clock;
    private final long capacity;
    private final CacheLocks locks;
    private final CacheLocks updating;
    private final CacheStats stats;
    private final LinkedHashMap<String, Node> nodes = new LinkedHashMap<>(16, 0.75f, true);
    private long totalBytes;
    private volatile boolean loading;
    private volatile CachePurges purges;

    /** One key: {@code size} is -1 while no file holds it. */
    private static final class Node {
        long validUntil;
        long size = -1;
        long lastUse;
        int uses;
    }

    /** What a lookup found: whether a file holds the key, whether it is fresh, the uses so far. */
    record Lookup(boolean cached, boolean fresh, int uses) {
    }

    CacheZone(CachePath path, Clock clock) {
        this(path, clock, new CacheStats());
    }

    /** @param stats where the zone's answers are counted (kept across reloads by {@link CacheReports}) */
    CacheZone(CachePath path, Clock clock, CacheStats stats) {
        this.stats = stats;
        this.path = path;
        this.clock = clock;
        this.capacity = Math.max(1, path.zoneBytes() / NODE_BYTES);
        this.locks = new CacheLocks(clock);
        this.updating = new CacheLocks(clock);
    }

    /** Which expired keys one request is refreshing (others may get the stale entry, UPDATING). */
    CacheLocks updating() {
        return updating;
    }

    /** The {@code proxy_cache_lock} locks on this zone's keys. */
    CacheLocks locks() {
        return locks;
    }

    /** What the zone answered, for the API. */
    CacheStats stats() {
        return stats;
    }

    /** Whether the loader is still reading the directory (a key not known yet may be on disk). */
    boolean loading() {
        return loading;
    }

    void loading(boolean on) {
        loading = on;
    }

    /** The zone's purges, told of each purge made here (shared with peers when the zone is {@code sync}); null if none. */
    CachePurges purges() {
        return purges;
    }

    void purges(CachePurges p) {
        purges = p;
    }

    CachePath path() {
        return path;
    }

    long now() {
        return clock.millis();
    }

    /** A request for {@code hash}: counts a use (creating the node) and says what is cached. */
    synchronized Lookup lookup(String hash, List<String> evicted) {
        long now = clock.millis();
        Node n = nodes.get(hash);
        if (n == null) {
            n = new Node();
            nodes.put(hash, n);
        }
        n.uses++;
        n.lastUse = now;
        evict(now, evicted);
        return new Lookup(n.size >= 0, n.size >= 0 && n.validUntil > now, n.uses);
    }

    /** A file now holds {@code hash}, fresh until {@code validUntil}; adds the hashes evicted to {@code evicted}. */
    synchronized void stored(String hash, long validUntil, long size, List<String> evicted) {
        long now = clock.millis();
        Node n = nodes.get(hash);
        if (n == null) {
            n = new Node();
            nodes.put(hash, n);
        }
        if (n.size >= 0) {
            totalBytes -= n.size;
        }
        n.validUntil = validUntil;
        n.size = size;
        n.lastUse = now;
        totalBytes += size;
        evict(now, evicted);
    }

    /** A file found by the loader at start: added unless the key is known already. */
    synchronized void loaded(String hash, long validUntil, long size, List<String> evicted) {
        Node known = nodes.get(hash);
        if (known != null && known.size >= 0) {
            return;
        }
        stored(hash, validUntil, size, evicted);
    }

    /** The key's file is gone (unreadable or purged). */
    synchronized void forget(String hash) {
        Node n = nodes.remove(hash);
        if (n != null && n.size >= 0) {
            totalBytes -= n.size;
        }
    }

    synchronized int size() {
        return nodes.size();
    }

    synchronized long totalBytes() {
        return totalBytes;
    }

    /** Inactive nodes, then least recently used ones while over max_size or the zone's capacity. */
    private void evict(long now, List<String> evicted) {
        Iterator<java.util.Map.Entry<String, Node>> it = nodes.entrySet().iterator();
        while (it.hasNext()) {
            java.util.Map.Entry<String, Node> e = it.next();
            Node n = e.getValue();
            boolean inactive = now - n.lastUse >= path.inactiveMs();
            boolean over = (path.maxSize() > 0 && totalBytes > path.maxSize()) || nodes.size() > capacity;
            if (!inactive && !over) {
                break; // access order: the rest were used later
            }
            it.remove();
            if (n.size >= 0) {
                totalBytes -= n.size;
                evicted.add(e.getKey());
            }
        }
    }

    /** The hashes of all nodes, least recently used first. */
    synchronized List<String> keys() {
        return new ArrayList<>(nodes.keySet());
    }
}
