package io.zonesync.bench;

import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalZone;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * (c) Snapshot to a joining node: node A runs alone and holds N pairs (16-byte keys, 32-byte values);
 * node B, empty, is then started (its SyncCluster.start(): bind, dial A); the clock runs from that
 * call until B's zone has applied all N records (B's remoteChange count). B is built (zone, engine,
 * event loop) before the clock starts, as a process would be before it opens its sockets.
 *
 * <p>Environment: KEYS (default 1000000), ROUNDS (default 3), SYNC_EXTRA, LOOP_THREADS.
 */
public final class SnapshotBench {
    public static void main(String[] args) throws Exception {
        int n = BenchNode.intEnv("KEYS", 1_000_000);
        int rounds = BenchNode.intEnv("ROUNDS", 3);
        int warmups = BenchNode.intEnv("WARMUP_ROUNDS", 1);
        String extra = BenchNode.env("SYNC_EXTRA", "");
        int threads = BenchNode.intEnv("LOOP_THREADS", 1);
        String label = BenchNode.env("LABEL", "default");
        double[] secs = new double[rounds];
        int[] ports = BenchNode.freePorts();
        try (BenchNode a = new BenchNode("a", ports[0], ports[1], n, extra, threads)) {
            a.start();
            for (int i = 0; i < n; i++) {
                a.zone.set(BenchNode.key(i), BenchNode.value(i));
            }
            for (int round = -warmups; round < rounds; round++) {
                System.gc();
                try (BenchNode b = new BenchNode("b" + round, ports[1], ports[0], n, extra, threads)) {
                    long[] firstAt = new long[1];
                    long[] doneAt = new long[1];
                    CountDownLatch all = new CountDownLatch(1);
                    b.onRemote(new KeyvalListener() {
                        /** Counted on the event loop of B's one link, the only thread that applies A's records: no atomic needed. */
                        private long arrived;

                        @Override
                        public void localChange(KeyvalZone zone, String key) {
                        }

                        @Override
                        public void remoteChange(KeyvalZone zone, String key) {
                            long c = ++arrived;
                            if (c == 1) {
                                firstAt[0] = System.nanoTime();
                            }
                            if (c == n) {
                                doneAt[0] = System.nanoTime();
                                all.countDown();
                            }
                        }
                    });
                    long gc0 = BenchNode.gcMillis();
                    long t0 = System.nanoTime();
                    b.start();
                    if (!all.await(300, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("B got only " + b.zone.pairCount() + " of " + n);
                    }
                    double took = (doneAt[0] - t0) / 1e9;
                    long gcMs = BenchNode.gcMillis() - gc0;
                    if (round >= 0) {
                        secs[round] = took;
                    }
                    System.out.printf("%s: snapshot of %d records to a joining node in %.3f s (first record"
                            + " after %.3f s) = %.0f records/s; GC %d ms; B holds %d; %s%n", 
                            round < 0 ? "warm-up (not counted)" : "round " + (round + 1), n, took,
                            (firstAt[0] - t0) / 1e9, n / took, gcMs, b.zone.pairCount(), BenchNode.loadNote());
                }
                // wait until A has seen B's link go away before the next B binds the same port
                long deadline = System.currentTimeMillis() + 10_000;
                while (a.online() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
            }
        }
        Arrays.sort(secs);
        BenchNode.result("snapshot." + label + ".best", secs[0], "s");
        BenchNode.result("snapshot." + label + ".median", secs[secs.length / 2], "s");
    }
}
