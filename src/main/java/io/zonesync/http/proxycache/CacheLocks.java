package io.zonesync.http.proxycache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code proxy_cache_lock} locks of one keys zone: which uncached keys one request is fetching
 * while the others asking for them wait. A lock older than the lock age may be taken over by
 * another request. Thread-safe; waiters run on the thread that releases.
 */
final class CacheLocks {
    private final Clock clock;
    private final Map<String, Held> held = new HashMap<>();

    /** One request's hold on a key, with the requests waiting for it to end. */
    static final class Held {
        private final long since;
        private final List<Runnable> waiters;

        private Held(long since, List<Runnable> waiters) {
            this.since = since;
            this.waiters = waiters;
        }
    }

    CacheLocks(Clock clock) {
        this.clock = clock;
    }

    /** Takes the lock on {@code hash} unless another request took it less than {@code ageMs} ago; null if not taken. */
    synchronized Held acquire(String hash, long ageMs) {
        long now = clock.millis();
        Held h = held.get(hash);
        if (h != null && now - h.since < ageMs) {
            return null;
        }
        Held mine = new Held(now, h == null ? new ArrayList<>() : h.waiters);
        held.put(hash, mine);
        return mine;
    }

    /** When the lock on {@code hash} may be taken over ({@code ageMs} after it was taken), or -1 if it is free. */
    synchronized long expires(String hash, long ageMs) {
        Held h = held.get(hash);
        return h == null ? -1 : h.since + ageMs;
    }

    /** Runs {@code waiter} once the lock on {@code hash} is released; false (not kept) if it is free. */
    synchronized boolean await(String hash, Runnable waiter) {
        Held h = held.get(hash);
        if (h == null) {
            return false;
        }
        h.waiters.add(waiter);
        return true;
    }

    /** Releases {@code mine} if it still holds {@code hash} (not taken over) and runs the waiters. */
    void release(String hash, Held mine) {
        List<Runnable> waiters;
        synchronized (this) {
            if (held.get(hash) != mine) {
                return;
            }
            held.remove(hash);
            waiters = new ArrayList<>(mine.waiters);
        }
        waiters.forEach(Runnable::run);
    }

    /** Whether a request holds {@code hash} (for tests). */
    synchronized boolean held(String hash) {
        return held.containsKey(hash);
    }
}
