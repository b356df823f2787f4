package io.zonesync.bench;

import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalZone;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * (a) Sustained replication throughput: two nodes A and B on loopback, linked and idle; one thread
 * writes N distinct keys (16-byte keys, 32-byte values) into A's keyval zone as fast as it can; the
 * clock runs from the first write until B's zone has applied all N (counted by B's remoteChange).
 * Each round also says where the CPU went, per record: the writer, each node's event loop, the
 * collector and the JIT ({@link CpuBudget}), and how long each waited for a CPU.
 *
 * <p>Environment: KEYS (default 1000000), ROUNDS (default 3, best and median reported), SYNC_EXTRA
 * (zone_sync directives, e.g. "zone_sync_buffers 8 64k;"), LOOP_THREADS (per node, default 1).
 */
public final class SyncThroughputBench {
    public static void main(String[] args) throws Exception {
        int n = BenchNode.intEnv("KEYS", 1_000_000);
        int rounds = BenchNode.intEnv("ROUNDS", 3);
        int warmups = BenchNode.intEnv("WARMUP_ROUNDS", 1);
        String extra = BenchNode.env("SYNC_EXTRA", "");
        int threads = BenchNode.intEnv("LOOP_THREADS", 1);
        String label = BenchNode.env("LABEL", "default");
        String[] values = new String[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = BenchNode.key(i);
            values[i] = BenchNode.value(i);
        }
        double[] rates = new double[rounds];
        for (int round = -warmups; round < rounds; round++) {
            int[] ports = BenchNode.freePorts();
            try (BenchNode a = new BenchNode("a", ports[0], ports[1], n, extra, threads);
                    BenchNode b = new BenchNode("b", ports[1], ports[0], n, extra, threads)) {
                CountDownLatch all = new CountDownLatch(1);
                long[] doneAt = new long[1];
                b.onRemote(new KeyvalListener() {
                    /** Counted on the event loop of B's one link, the only thread that applies A's records: no atomic needed. */
                    private long arrived;

                    @Override
                    public void localChange(KeyvalZone zone, String key) {
                    }

                    @Override
                    public void remoteChange(KeyvalZone zone, String key) {
                        if (++arrived == n) {
                            doneAt[0] = System.nanoTime();
                            all.countDown();
                        }
                    }
                });
                a.start();
                b.start();
                BenchNode.waitOnline(a, b, 10_000);
                Thread.sleep(200); // let both (empty) snapshots finish
                System.gc();
                long gc0 = BenchNode.gcMillis();
                CpuBudget cpu0 = CpuBudget.now();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    a.zone.set(keys[i], values[i]);
                }
                long written = System.nanoTime();
                if (!all.await(300, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("B got only " + b.zone.pairCount() + " of " + n);
                }
                String cpu = CpuBudget.now().perRecordSince(cpu0, n);
                double secs = (doneAt[0] - t0) / 1e9;
                long gcMs = BenchNode.gcMillis() - gc0;
                double rate = n / secs;
                if (round >= 0) {
                    rates[round] = rate;
                }
                System.out.printf("%s: %d records A->B in %.3f s = %.0f records/s (A's writer done after"
                        + " %.3f s = %.0f writes/s); GC %d ms; B holds %d; %s%n    %s%n",
                        round < 0 ? "warm-up (not counted)" : "round " + (round + 1), n, secs, rate,
                        (written - t0) / 1e9, n / ((written - t0) / 1e9), gcMs, b.zone.pairCount(), BenchNode.loadNote(),
                        cpu);
            }
        }
        Arrays.sort(rates);
        BenchNode.result("throughput." + label + ".best", rates[rates.length - 1], "records/s");
        BenchNode.result("throughput." + label + ".median", rates[rates.length / 2], "records/s");
    }
}
