package io.zonesync.testing;

import io.zonesync.http.limitreq.MonotonicClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock tests move by hand: a wall clock ({@link Clock}) and a monotonic one
 * ({@link MonotonicClock}, for limit_req), starting where the test says.
 */
public final class MutableClock extends Clock implements MonotonicClock {
    private final long start;
    private volatile long millis;

    public MutableClock(long startMillis) {
        this.start = startMillis;
        this.millis = startMillis;
    }

    /** A monotonic clock far from 0, as a machine's uptime would be. */
    public static MutableClock uptime() {
        return new MutableClock(1_000_000_000L);
    }

    /** Sets the clock {@code ms} after the time it started at. */
    public MutableClock at(long ms) {
        millis = start + ms;
        return this;
    }

    public void advance(long ms) {
        millis += ms;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
