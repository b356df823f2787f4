package io.zonesync.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@code limit_conn_zone} decided, http's or stream's, as NGINX Plus's API reports it
 * ({@code /N/http/limit_conns/{zone}}, {@code /N/stream/limit_conns/{zone}}): connections passed,
 * rejected, and accounted as rejected in a dry run. Reset by the API; thread-safe.
 */
public final class LimitConnCounts {
    private final LongAdder passed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder rejectedDryRun = new LongAdder();

    /** A connection (request, session) took its place in the zone. */
    public void passed() {
        passed.increment();
    }

    /** A connection over the zone's limit (or that found the zone full): refused, or only counted so in a dry run. */
    public void rejected(boolean dryRun) {
        (dryRun ? rejectedDryRun : rejected).increment();
    }

    public long passedCount() {
        return passed.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long rejectedDryRunCount() {
        return rejectedDryRun.sum();
    }

    /** The API's DELETE: every count starts again from zero; the places held are untouched. */
    public void reset() {
        passed.reset();
        rejected.reset();
        rejectedDryRun.reset();
    }
}
