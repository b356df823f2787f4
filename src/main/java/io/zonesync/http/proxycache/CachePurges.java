package io.zonesync.http.proxycache;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purges of one cache zone ({@code proxy_cache_path ... sync}) that the other nodes are to
 * make too: for each purged key or wildcard (a key ending in {@code *}), the stamp of its latest
 * purge and until when it is remembered. A purge made here is stamped and told to the listeners
 * (the sync engine); a peer's purge is merged, the newer stamp winning, and when it wins its
 * entries stored before the stamp's time are removed from the cache's files on this zone's own
 * thread, never the caller's. A purge is remembered for the zone's {@code inactive} time, so that
 * a node joining within it purges what it had stored before, and at most as many purges as the
 * keys zone holds keys (the oldest go first). Kept across reloads. Thread-safe.
 */
public final class CachePurges {
    private static final Logger LOG = LoggerFactory.getLogger(CachePurges.class);

    /** One remembered purge. */
    record Purge(Stamp stamp, long expiresAt) {
    }

    private final String name;
    private final boolean sync;
    private final Clock clock;
    private final StampSource stamps;
    private volatile long lifetimeMs;
    private volatile int maxPurges;
    /** Oldest remembered first: when full, the oldest is forgotten early. */
    private final LinkedHashMap<String, Purge> purges = new LinkedHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** The keys zones of the configurations compiled on this zone; a dropped configuration's goes by itself. */
    private final Set<CacheZone> caches = Collections.newSetFromMap(new WeakHashMap<>());
    private ExecutorService purger;
    private boolean closed;

    CachePurges(String name, boolean sync, long lifetimeMs, int maxPurges, Clock clock, StampSource stamps) {
        this.name = name;
        this.sync = sync;
        this.lifetimeMs = lifetimeMs;
        this.maxPurges = Math.max(1, maxPurges);
        this.clock = clock;
        this.stamps = stamps;
    }

    String name() {
        return name;
    }

    /** Whether purges are shared with the other nodes. */
    boolean sync() {
        return sync;
    }

    /**
     * How long a purge is remembered (the zone's {@code inactive}) and how many at most (as many as
     * the keys zone holds keys); a reload may change them.
     */
    void limits(long ms, int max) {
        lifetimeMs = ms;
        maxPurges = Math.max(1, max);
    }

    /** Remembers a purge as the newest; forgets the oldest beyond the limit. Under the lock. */
    private void remember(String key, Purge p) {
        purges.remove(key);
        purges.put(key, p);
        Iterator<Purge> oldest = purges.values().iterator();
        while (purges.size() > maxPurges) {
            oldest.next();
            oldest.remove();
        }
    }

    /** The time on this zone's clock, from which remembered purges' remaining lifetimes are counted. */
    long now() {
        return clock.millis();
    }

    /** A configuration's keys zone of this name: remote purges reach its index too. */
    synchronized void attach(CacheZone cache) {
        caches.add(cache);
        cache.purges(this);
    }

    /** This node purged {@code key} (a wildcard if it ends in {@code *}): remembered and told to peers. */
    void local(String key) {
        if (!sync) {
            return;
        }
        synchronized (this) {
            remember(key, new Purge(stamps.next(), clock.millis() + lifetimeMs));
        }
        for (Consumer<String> l : listeners) {
            l.accept(key);
        }
    }

    /**
     * A peer's purge of {@code key} stamped {@code stamp}, to be remembered for {@code ttlMs} (at most
     * this zone's lifetime): ignored unless newer than the one remembered; if newer, the entries it
     * matches that were stored up to the stamp's time are removed, in the background. True if it was newer.
     */
    boolean merge(String key, Stamp stamp, long ttlMs) {
        List<CacheZone> targets;
        synchronized (this) {
            Purge known = purges.get(key);
            if (known != null && !stamp.isNewerThan(known.stamp())) {
                return false;
            }
            long ttl = ttlMs < 0 ? lifetimeMs : Math.min(ttlMs, lifetimeMs);
            remember(key, new Purge(stamp, clock.millis() + ttl));
            targets = new ArrayList<>(caches);
            if (closed) {
                return true;
            }
            if (purger == null) {
                purger = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "cache purger " + name);
                    t.setDaemon(true);
                    return t;
                });
            }
            try {
                purger.execute(() -> remove(targets, key, stamp.millis()));
            } catch (RejectedExecutionException e) {
                // released meanwhile: nothing to purge any more
            }
        }
        return true;
    }

    private void remove(List<CacheZone> targets, String key, long storedUpTo) {
        for (CacheZone cache : targets) {
            try {
                CachePurger.remove(cache, key, storedUpTo);
            } catch (RuntimeException e) {
                LOG.error("cache zone \"{}\": a purge of \"{}\" from a peer failed: {}", name, key, e.toString());
            }
        }
    }

    /** The purge of {@code key} as remembered, or null if none (or it expired). */
    synchronized Purge get(String key) {
        Purge p = purges.get(key);
        return p == null || p.expiresAt() <= clock.millis() ? null : p;
    }

    /** The purged keys remembered now. */
    synchronized List<String> keys() {
        return new ArrayList<>(purges.keySet());
    }

    synchronized int size() {
        return purges.size();
    }

    /** Forgets the purges remembered for their whole lifetime; called every second. */
    synchronized void expire() {
        long now = clock.millis();
        purges.values().removeIf(p -> p.expiresAt() <= now);
    }

    void addListener(Consumer<String> l) {
        listeners.add(l);
    }

    void removeListener(Consumer<String> l) {
        listeners.remove(l);
    }

    /** The zone is no longer configured, or the node stops: its purger thread ends. */
    synchronized void close() {
        closed = true;
        if (purger != null) {
            purger.shutdown();
        }
    }
}
