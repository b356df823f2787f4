package io.zonesync.bench;

import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalZone;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * (d2) What a synced record costs a node beyond its keyval zone: two linked nodes A and B in one
 * JVM, N pairs (16-byte keys, 32-byte values) written to A and replicated to B, then left quiet; the
 * used heap after full GCs, before and after, divided by 2N, and the top of the class histogram
 * (from jcmd, so the figures say which structures hold the bytes). Run it with -XX:+UseSerialGC.
 *
 * <p>Environment: KEYS (default 1000000), HISTOGRAM_LINES (default 25).
 */
public final class QuietNodesHeapBench {
    public static void main(String[] args) throws Exception {
        int n = BenchNode.intEnv("KEYS", 1_000_000);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        int[] ports = BenchNode.freePorts();
        try (BenchNode a = new BenchNode("a", ports[0], ports[1], n, "", 1);
                BenchNode b = new BenchNode("b", ports[1], ports[0], n, "", 1)) {
            CountDownLatch all = new CountDownLatch(n);
            b.onRemote(new KeyvalListener() {
                @Override
                public void localChange(KeyvalZone zone, String key) {
                }

                @Override
                public void remoteChange(KeyvalZone zone, String key) {
                    all.countDown();
                }
            });
            a.start();
            b.start();
            BenchNode.waitOnline(a, b, 10_000);
            Thread.sleep(500); // both (empty) snapshots done
            long before = used(mem);
            for (int i = 0; i < n; i++) {
                a.zone.set(BenchNode.key(i), BenchNode.value(i));
            }
            if (!all.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("B got only " + (n - all.getCount()) + " of " + n);
            }
            Thread.sleep(2_000); // acknowledgements and outboxes drained: the zone is quiet
            long after = used(mem);
            double perRecord = (double) (after - before) / (2.0 * n);
            System.out.printf("two linked nodes, %d pairs each (16-byte keys, 32-byte values), quiet: used heap"
                    + " %d -> %d bytes, %.1f bytes/record per node%n", n, before, after, perRecord);
            System.out.print(histogram(BenchNode.intEnv("HISTOGRAM_LINES", 25)));
            BenchNode.result("heap.two_nodes.bytes_per_record", perRecord, "bytes");
        }
    }

    /** The first lines of this JVM's class histogram (live objects), by jcmd. */
    private static String histogram(int lines) throws IOException, InterruptedException {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (InputStream in = p.getInputStream()) {
            String[] all = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < Math.min(lines + 3, all.length); i++) {
                out.append(all[i]).append('\n');
            }
        }
        p.waitFor();
        return out.toString();
    }

    private static long used(MemoryMXBean mem) {
        long u = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            u = Math.min(u, mem.getHeapMemoryUsage().getUsed());
        }
        return u;
    }
}
