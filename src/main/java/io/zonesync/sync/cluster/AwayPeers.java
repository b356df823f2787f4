package io.zonesync.sync.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replication lag of peer nodes whose link went down (doc/operations.md section 5): one
 * timestamp per peer, since when the oldest record it is owed was owed: what its link still owed
 * when it closed, else the first local change after that, whichever zone and key it was. No key is
 * remembered for an absent peer; when it comes back, its snapshot or delta resync carries what it
 * missed, and the timestamp is dropped once the new link has caught up.
 *
 * <p>Safe from any thread: local changes note themselves from whichever thread made them.
 */
final class AwayPeers {
    /** No change yet since the peer went away (nothing owed). */
    static final long NONE = Long.MAX_VALUE;
    /** Past this many absent nodes (ids churned by restarts), they are all forgotten. */
    private static final int MAX_NODES = 4096;

    private final Map<Long, AtomicLong> owedSince = new ConcurrentHashMap<>();
    /** How many absent peers are owed nothing yet: while none, a local change costs one read. */
    private final AtomicInteger waiting = new AtomicInteger();

    /** The last link to {@code nodeId} closed owing records since {@code owedAtClose} (ms), or {@link #NONE}. */
    void away(long nodeId, long owedAtClose) {
        if (nodeId == 0) {
            return;
        }
        if (owedSince.size() >= MAX_NODES) {
            owedSince.keySet().forEach(this::forget);
        }
        AtomicLong since = new AtomicLong(owedAtClose);
        if (owedAtClose == NONE) {
            waiting.incrementAndGet();
        }
        AtomicLong before = owedSince.put(nodeId, since);
        if (before != null && before.getAndSet(-1) == NONE) {
            waiting.decrementAndGet();
        }
    }

    /** A local change at {@code nowMillis}: every absent peer owed nothing yet is owed it from now. */
    void changed(long nowMillis) {
        if (waiting.get() == 0) {
            return;
        }
        for (AtomicLong since : owedSince.values()) {
            if (since.compareAndSet(NONE, nowMillis)) {
                waiting.decrementAndGet();
            }
        }
    }

    /**
     * A link to {@code nodeId} came online: if nothing was owed while it was away, the link's own lag
     * is the whole story from now on.
     */
    void back(long nodeId) {
        AtomicLong since = owedSince.get(nodeId);
        if (since != null && since.get() == NONE) {
            forget(nodeId);
        }
    }

    /** The peer's link caught up with what it missed: its lag is its link's again. */
    void forget(long nodeId) {
        AtomicLong since = owedSince.remove(nodeId);
        if (since != null && since.getAndSet(-1) == NONE) {
            waiting.decrementAndGet();
        }
    }

    /** Since when the oldest record the absent peer is owed was owed (ms); {@link #NONE} when nothing is; -1 when the peer is not known as absent. */
    long owedSince(long nodeId) {
        AtomicLong since = owedSince.get(nodeId);
        return since == null ? -1 : since.get();
    }

    /** The lag (ms) at {@code nowMillis} of a peer owed since {@code since} ({@link #owedSince}): -1 unknown, 0 nothing owed. */
    static long lag(long since, long nowMillis) {
        if (since < 0) {
            return -1;
        }
        return since == NONE ? 0 : Math.max(0, nowMillis - since);
    }
}
