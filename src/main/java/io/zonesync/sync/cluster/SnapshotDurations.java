package io.zonesync.sync.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How long whole snapshots took to go out to peers and to arrive from them, zone by zone, as
 * histograms with fixed buckets (seconds) that the metrics page publishes: counted here, where the
 * links time them, and read by anyone. A snapshot is timed from its SNAPSHOT_BEGIN to its
 * SNAPSHOT_END (doc/protocol.md 4), sent (written to the socket) or received (read from it).
 */
public final class SnapshotDurations {
    /** Bucket upper bounds in seconds; the last bucket, +Inf, is implied. */
    public static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    /** Which way a snapshot went. */
    public enum Direction { SEND, RECEIVE }

    /**
     * One zone's histogram in one direction: per bucket (one more than {@link #BOUNDS}, the last
     * +Inf) how many snapshots took at most its bound and more than the bound before (not
     * cumulative), and the sum of all durations in seconds.
     */
    public record Histogram(String zone, Direction direction, long[] counts, double sumSeconds) {
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }

    private final Map<String, Histogram[]> byZone = new TreeMap<>();

    /** Counts one snapshot of {@code zone} that took {@code nanos}. */
    synchronized void record(String zone, Direction direction, long nanos) {
        Histogram[] pair = byZone.computeIfAbsent(zone, z -> new Histogram[] {
            new Histogram(z, Direction.SEND, new long[BOUNDS.length + 1], 0),
            new Histogram(z, Direction.RECEIVE, new long[BOUNDS.length + 1], 0)});
        double seconds = Math.max(0, nanos) / (double) TimeUnit.SECONDS.toNanos(1);
        Histogram h = pair[direction.ordinal()];
        long[] counts = h.counts().clone();
        counts[bucketOf(seconds)]++;
        pair[direction.ordinal()] = new Histogram(zone, direction, counts, h.sumSeconds() + seconds);
    }

    static int bucketOf(double seconds) {
        int i = Arrays.binarySearch(BOUNDS, seconds);
        return i >= 0 ? i : -i - 1;
    }

    /** Every zone that has had a snapshot either way, by name, sending first. */
    public synchronized List<Histogram> all() {
        List<Histogram> out = new ArrayList<>();
        for (Histogram[] pair : byZone.values()) {
            out.add(pair[0]);
            out.add(pair[1]);
        }
        return out;
    }
}
