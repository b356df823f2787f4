package io.zonesync.net.dns;

import io.zonesync.net.ResolverConf;

/**
 * When a name is looked up again.
 *
 * <ul>
 *   <li>With {@code valid=}: every {@code valid} (but not more often than {@code floorMs}).</li>
 *   <li>Without: when the shortest TTL among the name's records runs out, kept between
 *       {@code floorMs} (a TTL of 0 would mean a query storm) and {@code capMs} (so that with an
 *       hour-long TTL a node that left DNS is still dropped within the cap).</li>
 *   <li>A definite answer without any record (NXDOMAIN, or NOERROR without A/AAAA) has no TTL to
 *       go by: without {@code valid=} the name is asked again after {@code retryMs}.</li>
 *   <li>After a failure (any family without a definite answer): after {@code retryMs}, or sooner
 *       when the normal period is shorter.</li>
 * </ul>
 */
public record RefreshPolicy(Long validMs, long floorMs, long capMs, long retryMs) {
    public static final long DEFAULT_FLOOR_MS = 1_000;
    public static final long DEFAULT_CAP_MS = 60_000;
    public static final long DEFAULT_RETRY_MS = 5_000;

    public RefreshPolicy {
        if (floorMs <= 0 || capMs < floorMs || retryMs < floorMs) {
            throw new IllegalArgumentException("refresh floor " + floorMs + " ms must be above 0 and at most the cap ("
                    + capMs + " ms) and the retry period (" + retryMs + " ms)");
        }
        if (validMs != null && validMs < 0) {
            throw new IllegalArgumentException("valid=" + validMs + " ms is negative");
        }
    }

    /** The defaults, with {@code valid=} from the resolver (null when not set). */
    public static RefreshPolicy valid(Long validMs) {
        return new RefreshPolicy(validMs, DEFAULT_FLOOR_MS, DEFAULT_CAP_MS, DEFAULT_RETRY_MS);
    }

    public static RefreshPolicy of(ResolverConf conf) {
        return valid(conf.validMs());
    }

    /**
     * The delay until the next lookup.
     *
     * @param minTtlSeconds the smallest TTL among the records received, or -1 when none was received
     * @param failed        whether any family went without a definite answer
     */
    public long nextDelayMs(long minTtlSeconds, boolean failed) {
        long normal;
        if (validMs != null) {
            normal = Math.max(validMs, floorMs);
        } else if (minTtlSeconds < 0) {
            normal = retryMs;
        } else {
            normal = Math.min(Math.max(Math.multiplyExact(minTtlSeconds, 1000L), floorMs), capMs);
        }
        return failed ? Math.min(normal, retryMs) : normal;
    }
}
