package io.zonesync.bench;

import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalZone;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * (b) Propagation latency: two linked nodes; one thread writes distinct keys into A at a paced rate
 * (a System.nanoTime schedule, spinning for the last 50 us before each slot); B's remoteChange
 * listener takes System.nanoTime when the record became visible on B. Latency is measured from the
 * write's scheduled time (so a writer that falls behind is charged, no coordinated omission) and,
 * separately, from the moment the write call started. A warm-up phase at the same rate is discarded.
 *
 * <p>Environment: RATES (comma list, default "10000,100000"), DURATION (seconds measured, default 10),
 * WARMUP_DURATION (seconds, default 3), SYNC_EXTRA, LOOP_THREADS, STALL_MS (unset: off; a number:
 * also list every stall, a run of writes each later than that many ms from its schedule, with the
 * JVM's uptime at its first write, to be laid beside {@code -Xlog:gc,safepoint} lines, which carry
 * the same uptime with the {@code uptime} decorator).
 */
public final class SyncLatencyBench {
    public static void main(String[] args) throws Exception {
        String[] rates = BenchNode.env("RATES", "10000,100000").split(",");
        int seconds = BenchNode.intEnv("DURATION", 10);
        int warmup = BenchNode.intEnv("WARMUP_DURATION", 3);
        String extra = BenchNode.env("SYNC_EXTRA", "");
        int threads = BenchNode.intEnv("LOOP_THREADS", 1);
        String label = BenchNode.env("LABEL", "default");
        for (String r : rates) {
            run(Integer.parseInt(r.trim()), seconds, warmup, extra, threads, label);
        }
    }

    private static void run(int rate, int seconds, int warmup, String extra, int threads, String label)
            throws Exception {
        if (seconds < 1) {
            throw new IllegalArgumentException("DURATION " + seconds + " s is below 1");
        }
        int warm = rate * warmup;
        int n = warm + rate * seconds;
        String[] keys = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = BenchNode.key(i);
            values[i] = BenchNode.value(i);
        }
        long[] scheduled = new long[n];
        long[] started = new long[n];
        long[] returned = new long[n];
        long[] seen = new long[n];
        int[] ports = BenchNode.freePorts();
        try (BenchNode a = new BenchNode("a", ports[0], ports[1], n, extra, threads);
                BenchNode b = new BenchNode("b", ports[1], ports[0], n, extra, threads)) {
            b.onRemote(new KeyvalListener() {
                @Override
                public void localChange(KeyvalZone zone, String key) {
                }

                @Override
                public void remoteChange(KeyvalZone zone, String key) {
                    seen[BenchNode.index(key)] = System.nanoTime();
                }
            });
            a.start();
            b.start();
            BenchNode.waitOnline(a, b, 10_000);
            Thread.sleep(200);
            System.gc();
            long interval = 1_000_000_000L / rate;
            long t0 = System.nanoTime() + 1_000_000;
            long uptimeAtT0 = ManagementFactory.getRuntimeMXBean().getUptime() + 1;
            long maxLag = 0;
            for (int i = 0; i < n; i++) {
                long due = t0 + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    if (due - now > 100_000) {
                        LockSupport.parkNanos(due - now - 50_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                maxLag = Math.max(maxLag, now - due);
                scheduled[i] = due;
                started[i] = now;
                a.zone.set(keys[i], values[i]);
                returned[i] = System.nanoTime();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (b.zone.pairCount() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(50);
            int missing = 0;
            long[] fromSchedule = new long[n - warm];
            long[] fromCall = new long[n - warm];
            int m = 0;
            for (int i = warm; i < n; i++) {
                if (seen[i] == 0) {
                    missing++;
                    continue;
                }
                fromSchedule[m] = seen[i] - scheduled[i];
                fromCall[m] = seen[i] - started[i];
                m++;
            }
            String stall = BenchNode.env("STALL_MS", "");
            if (!stall.isEmpty()) {
                printStalls(scheduled, started, returned, seen, warm, (long) (Double.parseDouble(stall) * 1e6), t0, uptimeAtT0);
            }
            fromSchedule = Arrays.copyOf(fromSchedule, m);
            fromCall = Arrays.copyOf(fromCall, m);
            Arrays.sort(fromSchedule);
            Arrays.sort(fromCall);
            double achieved = (double) (n - warm) / ((started[n - 1] - started[warm]) / 1e9);
            System.out.printf("rate %d/s (achieved %.0f/s), %d samples, %d missing, writer max lag %.3f ms; %s%n",
                    rate, achieved, m, missing, maxLag / 1e6, BenchNode.loadNote());
            System.out.printf("  from schedule: p50 %.3f  p99 %.3f  p999 %.3f  max %.3f ms%n", pct(fromSchedule, 50),
                    pct(fromSchedule, 99), pct(fromSchedule, 99.9), fromSchedule[m - 1] / 1e6);
            System.out.printf("  from call:     p50 %.3f  p99 %.3f  p999 %.3f  max %.3f ms%n", pct(fromCall, 50),
                    pct(fromCall, 99), pct(fromCall, 99.9), fromCall[m - 1] / 1e6);
            String base = "latency." + label + "." + rate;
            BenchNode.result(base + ".p50", pct(fromSchedule, 50), "ms");
            BenchNode.result(base + ".p99", pct(fromSchedule, 99), "ms");
            BenchNode.result(base + ".p999", pct(fromSchedule, 99.9), "ms");
            BenchNode.result(base + ".max", fromSchedule[m - 1] / 1e6, "ms");
            BenchNode.result(base + ".missing", missing, "records");
        }
    }

    /**
     * Prints each run of consecutive measured writes that were all later than {@code thresholdNs} (a
     * write never seen counts as late): its start as JVM uptime in seconds, how many writes, the
     * latest of them, how late the writer itself started any of them and the longest write call.
     */
    private static void printStalls(long[] scheduled, long[] started, long[] returned, long[] seen, int from,
            long thresholdNs, long t0, long uptimeAtT0) {
        int n = scheduled.length;
        int stalls = 0;
        long stalledWrites = 0;
        IntPredicate late = i -> seen[i] == 0 || seen[i] - scheduled[i] > thresholdNs;
        for (int i = from; i < n; ) {
            if (!late.test(i)) {
                i++;
                continue;
            }
            int first = i;
            long worst = 0;
            long writerLate = 0;
            long longestSet = 0;
            while (i < n && late.test(i)) {
                worst = Math.max(worst, seen[i] == 0 ? Long.MAX_VALUE : seen[i] - scheduled[i]);
                writerLate = Math.max(writerLate, started[i] - scheduled[i]);
                longestSet = Math.max(longestSet, returned[i] - started[i]);
                i++;
            }
            stalls++;
            stalledWrites += i - first;
            System.out.printf("  STALL at uptime %.3f s: %d writes, worst %.3f ms; writer late by up to %.3f ms,"
                    + " longest write call %.3f ms%n", (uptimeAtT0 + (scheduled[first] - t0) / 1e6) / 1e3, i - first,
                    worst / 1e6, writerLate / 1e6, longestSet / 1e6);
        }
        System.out.printf("  %d stalls over %.3f ms, %d writes in them%n", stalls, thresholdNs / 1e6, stalledWrites);
    }

    /** The q-th percentile (nearest rank) of sorted ns samples, in ms. */
    static double pct(long[] sorted, double q) {
        int idx = (int) Math.ceil(q / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }
}
