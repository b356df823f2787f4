package io.zonesync.http.limitreq;

/** A monotonic clock the test moves. Starts far from 0, as a machine's uptime would be. */
final class TestClock implements MonotonicClock {
    long now = 1_000_000_000L;

    @Override
    public long millis() {
        return now;
    }

    TestClock at(long ms) {
        now = 1_000_000_000L + ms;
        return this;
    }
}
