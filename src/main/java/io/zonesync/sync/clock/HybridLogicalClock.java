package io.zonesync.sync.clock;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node's hybrid logical clock (doc/protocol.md section 6): stamps carry wall-clock milliseconds
 * and a counter, strictly increase even when the wall clock steps back, and move past every stamp
 * observed from a peer. Thread-safe and lock-free.
 *
 * <p>A remote stamp more than {@link #maxForwardDriftMillis()} ahead of the local wall clock is not
 * observed: adopting it would push every future local stamp that far ahead for good. The sync
 * engine must not merge such a record either; {@link #isPlausible} tells it so.
 */
public final class HybridLogicalClock implements StampSource {
    /** The documented drift bound: one hour. */
    public static final long DEFAULT_MAX_FORWARD_DRIFT_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** Stamps keep 48 bits of milliseconds. */
    private static final long MAX_MILLIS = (1L << 47) - 1;

    private final long nodeId;
    private final LongSupplier wallMillis;
    private final long maxForwardDriftMillis;
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public HybridLogicalClock(long nodeId, LongSupplier wallMillis, long maxForwardDriftMillis) {
        if (nodeId == 0) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
        if (maxForwardDriftMillis < 0) {
            throw new IllegalArgumentException("maximum forward drift " + maxForwardDriftMillis + " ms is below 0");
        }
        this.nodeId = nodeId;
        this.wallMillis = wallMillis;
        this.maxForwardDriftMillis = maxForwardDriftMillis;
    }

    /** A clock on {@code clock} with the one-hour drift bound. */
    public static HybridLogicalClock of(long nodeId, Clock clock) {
        return new HybridLogicalClock(nodeId, clock::millis, DEFAULT_MAX_FORWARD_DRIFT_MILLIS);
    }

    public long nodeId() {
        return nodeId;
    }

    public long maxForwardDriftMillis() {
        return maxForwardDriftMillis;
    }

    /** A stamp newer than every stamp issued or observed so far. */
    @Override
    public Stamp next() {
        long physical = wall() << 16;
        long prev;
        long hlc;
        do {
            prev = last.get();
            // prev + 1 bumps the counter; at 0xFFFF it carries into the milliseconds.
            hlc = Math.max(prev + 1, physical);
        } while (!last.compareAndSet(prev, hlc));
        return new Stamp(hlc, nodeId);
    }

    /**
     * Moves the clock past a stamp received from a peer, unless that stamp is implausibly far ahead
     * of the local wall clock, in which case it is counted in {@link #refused()} and ignored.
     */
    @Override
    public void observe(Stamp remote) {
        if (!isPlausible(remote)) {
            refused.incrementAndGet();
            return;
        }
        last.accumulateAndGet(remote.hlc(), Math::max);
    }

    /** Whether a remote stamp is within the drift bound of the local wall clock (stamps in the past always are). */
    public boolean isPlausible(Stamp remote) {
        return remote.millis() - wall() <= maxForwardDriftMillis;
    }

    /** Remote stamps refused by {@link #observe} because they were too far ahead. */
    public long refused() {
        return refused.get();
    }

    private long wall() {
        long now = wallMillis.getAsLong();
        return Math.max(0, Math.min(now, MAX_MILLIS));
    }
}
