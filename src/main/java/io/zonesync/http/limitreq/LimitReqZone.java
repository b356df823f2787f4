package io.zonesync.http.limitreq;

import io.zonesync.log.LogMarkers;
import io.zonesync.zone.UseOrder;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code limit_req_zone}: one leaky bucket per key, in nginx's integer arithmetic (levels in
 * milli-requests, time in monotonic milliseconds, the rate in milli-requests per second), under a
 * byte budget with nginx's least-recently-used eviction. One lock per zone, as nginx's shared
 * memory mutex; callers never hold it across zones.
 *
 * <p>Memory: a state costs {@link #STATE_BYTES} plus its key, plus {@link #ORIGIN_BYTES} per peer
 * whose count it remembers (sync zones). Before allocating, idle (60 s) and drained states at the
 * tail of the queue are dropped (at most two); if the budget is still short, the least recently used
 * state goes regardless (unless a request in flight holds it), then up to two more idle ones.
 *
 * <p>Slightly over the usual length because local requests and a peer's merged requests must be
 * charged under the same lock by the same arithmetic; the wire form is {@link LimitReqReplica}.
 */
public final class LimitReqZone {
    private static final Logger LOG = LoggerFactory.getLogger(LimitReqZone.class);
    /** nginx's minimum shared zone, 8 pages of 4k. */
    public static final long MIN_SIZE = 8 * 4096;
    /** What nginx's documentation gives a state on a 64-bit platform, key excluded. */
    public static final int STATE_BYTES = 128;
    /** Per remembered peer count: node id, epoch, count. */
    static final int ORIGIN_BYTES = 16;
    static final int MAX_ORIGINS = 32;
    static final long IDLE_EXPIRY_MS = 60_000;
    /** Levels are shipped as u32. */
    static final long MAX_EXCESS = 0xFFFF_FFFFL;

    enum Outcome { OK, AGAIN, BUSY, ERROR }

    /** A lookup's result: the outcome, the level it saw, and the state it pinned on AGAIN. */
    record Lookup(Outcome outcome, long excess, LimitReqState pinned) {
    }

    private final String name;
    private final long sizeBytes;
    private final String keySource;
    private final MonotonicClock clock;
    private volatile long rate;
    private final Map<LimitKey, LimitReqState> index = new ConcurrentHashMap<>();
    /** The states by last use, for nginx's expiry from the least recently used end. */
    private final UseOrder<LimitReqState> byUse = new UseOrder<>();
    private long used;
    private volatile Consumer<LimitKey> acceptListener = k -> { };
    private final LongAdder passed = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder delayedDryRun = new LongAdder();
    private final LongAdder rejectedDryRun = new LongAdder();

    /**
     * @param keySource the key as written in the configuration, to refuse a reload that changes it
     * @param rateMilli milli-requests per second ({@code 10r/s} is 10000, {@code 30r/m} is 500)
     */
    public LimitReqZone(String name, long sizeBytes, String keySource, long rateMilli, MonotonicClock clock) {
        if (sizeBytes < MIN_SIZE) {
            throw new IllegalArgumentException("zone \"" + name + "\" of " + sizeBytes + " bytes is smaller than "
                    + MIN_SIZE);
        }
        if (rateMilli <= 0) {
            throw new IllegalArgumentException("rate " + rateMilli + " of zone \"" + name + "\" is not positive");
        }
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.keySource = keySource;
        this.rate = rateMilli;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public String keySource() {
        return keySource;
    }

    /** Milli-requests per second. */
    public long rate() {
        return rate;
    }

    /** A reload may change the rate; the buckets keep their levels, as nginx keeps its shared memory. */
    void setRate(long rateMilli) {
        this.rate = rateMilli;
    }

    MonotonicClock clock() {
        return clock;
    }

    /** Called, outside the lock, with the key of every request this node charged to the zone. */
    void onAccept(Consumer<LimitKey> listener) {
        this.acceptListener = listener == null ? k -> { } : listener;
    }

    // ---- the bucket ----------------------------------------------------------------------

    /**
     * Looks a key up as one of a location's limits: BUSY (nothing changes but the queue order)
     * when the level after this request would pass {@code burst}; otherwise OK and charged when
     * {@code account} (the last limit of the location), or AGAIN with the state pinned, to be charged
     * by {@link #account} or let go by {@link #release}. ERROR when no memory can be found for a new key.
     */
    Lookup lookup(LimitKey key, long burst, boolean account) {
        Lookup l;
        synchronized (this) {
            l = lookupLocked(key, burst, account);
        }
        if (l.outcome() == Outcome.OK) {
            acceptListener.accept(key);
        }
        return l;
    }

    private Lookup lookupLocked(LimitKey key, long burst, boolean account) {
        long now = clock.millis();
        LimitReqState s = index.get(key);
        if (s != null) {
            touch(s);
            long ms = elapsed(s, now);
            long excess = Math.max(0, s.excess - leak(ms) + 1000);
            if (excess > burst) {
                return new Lookup(Outcome.BUSY, excess, null);
            }
            if (account) {
                store(s, excess, ms, now);
                accepted(s, now);
                return new Lookup(Outcome.OK, excess, null);
            }
            s.pins++;
            return new Lookup(Outcome.AGAIN, excess, s);
        }
        s = allocate(key, now);
        if (s == null) {
            LOG.error(LogMarkers.ALERT, "could not allocate node in limit_req zone \"{}\"", name);
            return new Lookup(Outcome.ERROR, 0, null);
        }
        if (account) {
            s.last = now;
            accepted(s, now);
            return new Lookup(Outcome.OK, 0, null);
        }
        s.fresh = true;
        s.pins = 1;
        return new Lookup(Outcome.AGAIN, 0, s);
    }

    /** Charges a state pinned by {@link #lookup}: its level now plus one request. Returns that level. */
    long account(LimitReqState s) {
        long excess;
        synchronized (this) {
            long now = clock.millis();
            long ms = elapsed(s, now);
            excess = Math.max(0, s.excess - leak(ms) + 1000);
            store(s, excess, ms, now);
            s.pins--;
            accepted(s, now);
        }
        acceptListener.accept(s.key);
        return excess;
    }

    /** Lets go of a state pinned by {@link #lookup} without charging it (another limit rejected). */
    synchronized void release(LimitReqState s) {
        s.pins--;
    }

    private static void accepted(LimitReqState s, long now) {
        s.accepted++;
        s.acceptedAt = now;
        s.excessAtAccept = s.excess;
    }

    private static void store(LimitReqState s, long excess, long ms, long now) {
        s.excess = excess;
        if (ms != 0) {
            s.last = now;
            s.fresh = false;
        }
    }

    /** Milliseconds since the state was updated, as nginx bounds them: far backwards is 1, a little is 0. */
    private static long elapsed(LimitReqState s, long now) {
        if (s.fresh) {
            return Long.MAX_VALUE;
        }
        long ms = now - s.last;
        if (ms < -60_000) {
            return 1;
        }
        return Math.max(0, ms);
    }

    /** {@code rate * ms / 1000}, saturating instead of overflowing. */
    private long leak(long ms) {
        long r = rate;
        if (ms > Long.MAX_VALUE / r) {
            return Long.MAX_VALUE / 2;
        }
        return r * ms / 1000;
    }

    // ---- memory --------------------------------------------------------------------------

    private LimitReqState allocate(LimitKey key, long now) {
        expire(now, 1);
        long cost = STATE_BYTES + (long) key.length();
        if (used + cost > sizeBytes) {
            expire(now, 0);
            if (used + cost > sizeBytes) {
                return null;
            }
        }
        LimitReqState s = new LimitReqState(key);
        s.epoch = ThreadLocalRandom.current().nextInt();
        used += cost;
        index.put(key, s);
        byUse.addNewest(s);
        return s;
    }

    /**
     * nginx's expiry from the tail of the queue: with {@code n == 1}, up to two states idle for 60 s
     * and drained; with {@code n == 0}, the least recently used one unconditionally, then up to two of
     * those. Stops at a pinned state.
     */
    private void expire(long now, int n) {
        while (n < 3) {
            LimitReqState t = byUse.oldest();
            if (t == null || t.pins > 0) {
                return;
            }
            if (n++ != 0) {
                long ms = t.fresh ? Long.MAX_VALUE : Math.abs(now - t.last);
                if (ms < IDLE_EXPIRY_MS || t.excess - leak(ms) > 0) {
                    return;
                }
            }
            remove(t);
        }
    }

    private void remove(LimitReqState s) {
        byUse.remove(s);
        index.remove(s.key);
        used -= cost(s);
    }

    private static long cost(LimitReqState s) {
        return STATE_BYTES + (long) s.key.length() + (long) ORIGIN_BYTES * s.origins();
    }

    private void touch(LimitReqState s) {
        byUse.moveToNewest(s);
    }

    /** States held. */
    public int size() {
        return index.size();
    }

    /** Bytes of the budget in use. */
    public synchronized long usedBytes() {
        return used;
    }

    /** The level of a key now (leaked since its last update), or -1 if the zone does not hold it; for tests. */
    public synchronized long level(LimitKey key) {
        LimitReqState s = index.get(key);
        return s == null ? -1 : Math.max(0, s.excess - leak(elapsed(s, clock.millis())));
    }

    /** The level of a key as stored (not leaked to now), or -1 if the zone does not hold it; for tests and logs. */
    public synchronized long storedExcess(LimitKey key) {
        LimitReqState s = index.get(key);
        return s == null ? -1 : s.excess;
    }

    /** Every key held; weakly consistent (for snapshots). */
    Iterator<LimitKey> keys() {
        return index.keySet().iterator();
    }

    // ---- sync ----------------------------------------------------------------------------

    /** What a peer needs of one key: this node's count of accepted requests and the bucket. */
    record Export(int epoch, int accepted, long excess, long idleMs) {
    }

    /**
     * The key's state for a record, or null when the zone does not hold it. Changes nothing. The
     * level and idle time are those of this node's last accepted request (doc/protocol.md 5.3), so
     * the receiver can charge it when it happened; for a key this node accepted nothing of, its
     * level and the time since it was last updated.
     */
    synchronized Export export(LimitKey key) {
        LimitReqState s = index.get(key);
        if (s == null) {
            return null;
        }
        if (s.accepted != 0) {
            long idle = Math.min(MAX_EXCESS, Math.max(0, clock.millis() - s.acceptedAt));
            return new Export(s.epoch, s.accepted, Math.min(s.excessAtAccept, MAX_EXCESS), idle);
        }
        long idle = s.fresh ? MAX_EXCESS : Math.min(MAX_EXCESS, Math.max(0, clock.millis() - s.last));
        return new Export(s.epoch, s.accepted, Math.min(s.excess, MAX_EXCESS), idle);
    }

    /**
     * Merges a peer's record (doc/protocol.md 5.3, 7). The requests the peer accepted since the count
     * last merged from it are charged as one nginx bucket would have taken them: at the moment the
     * newest of them was accepted as far as the receiver can tell ({@code ageMs} ago), or at the
     * bucket's last update if that is later (its history before is not known). As in nginx, the
     * bucket keeps the level and the time of its latest request: the time it then stood empty pays
     * for up to one of the new requests ({@code max(0, excess - leak + 1000)} adds before it clamps),
     * and it drains from then on. Never more than the peer's own level plus one request is added,
     * so counts that piled up while the two were apart do not land at once. The first record of a
     * peer's incarnation of the key sets the count to start from and raises the level to the peer's,
     * leaked over its idle time, if that is higher. Returns false when the zone had no room for a new
     * key.
     */
    synchronized boolean merge(LimitKey key, long origin, Export remote, long ageMs) {
        long now = clock.millis();
        LimitReqState s = index.get(key);
        if (s == null) {
            s = allocate(key, now);
            if (s == null) {
                return false;
            }
            s.last = now;
        } else {
            touch(s);
        }
        long remoteLevel = Math.max(0, remote.excess() - leak(remote.idleMs()));
        int i = s.origin(origin);
        if (i >= 0 && s.originEpochs[i] == remote.epoch()) {
            // Counted: the sender's new requests are added, and nothing else. Its level is not
            // merged by max here: that level was leaked only to when the record was packed, not
            // over its time in flight, and it already holds requests that third nodes accepted,
            // which their own records add again; either way a max would charge requests twice.
            long diff = (remote.accepted() - s.originCounts[i]) & 0xFFFF_FFFFL;
            if (diff != 0 && diff < 0x8000_0000L) {
                long at = s.fresh ? now - Math.max(0, ageMs) : Math.max(s.last, now - Math.max(0, ageMs));
                // the level then, below zero for the time the bucket had stood empty
                long before = s.fresh ? -MAX_EXCESS : s.excess - leak(at - s.last);
                long charge = diff * 1000;
                long then = Math.max(charge - 1000, before + charge);
                long levelNow = Math.max(0, before - leak(now - at)) + Math.min(charge, remoteLevel + 1000);
                if (then - leak(now - at) <= levelNow) {
                    s.excess = Math.min(MAX_EXCESS, then);
                    s.last = at;
                } else {
                    s.excess = Math.min(MAX_EXCESS, levelNow); // the sender's level bounds it
                    s.last = now;
                }
                s.fresh = false;
                s.originCounts[i] = remote.accepted();
            }
            return true;
        }
        long ms = elapsed(s, now);
        long level = Math.max(0, s.excess - leak(ms));
        if (ms != 0) {
            s.last = now;
            s.fresh = false;
        }
        if (i >= 0) {
            s.originEpochs[i] = remote.epoch();
            s.originCounts[i] = remote.accepted();
        } else if (s.origins() < MAX_ORIGINS && used + ORIGIN_BYTES <= sizeBytes) {
            s.addOrigin(origin, remote.epoch(), remote.accepted());
            used += ORIGIN_BYTES;
        }
        // Not counted (the first record of this incarnation of the key on the sender, or no room
        // to remember its count): the sender's level is all there is to go by.
        s.excess = Math.min(MAX_EXCESS, Math.max(level, remoteLevel));
        return true;
    }

    // ---- counters ------------------------------------------------------------------------

    void count(LimitReqStatus status) {
        switch (status) {
            case PASSED -> passed.increment();
            case DELAYED -> delayed.increment();
            case REJECTED -> rejected.increment();
            case DELAYED_DRY_RUN -> delayedDryRun.increment();
            case REJECTED_DRY_RUN -> rejectedDryRun.increment();
        }
    }

    public LimitReqStats stats() {
        return new LimitReqStats(passed.sum(), delayed.sum(), rejected.sum(), delayedDryRun.sum(),
                rejectedDryRun.sum());
    }

    /** API DELETE: the counters start again from zero; the buckets are untouched. */
    public void resetStats() {
        passed.reset();
        delayed.reset();
        rejected.reset();
        delayedDryRun.reset();
        rejectedDryRun.reset();
    }

    @Override
    public String toString() {
        return "limit_req_zone \"" + name + "\"";
    }
}
