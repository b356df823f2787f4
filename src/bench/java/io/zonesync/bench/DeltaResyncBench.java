package io.zonesync.bench;

import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.sync.cluster.ZoneSyncStatus;
import io.zonesync.testing.TcpProxy;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (e) Delta resync: A holds N pairs (16-byte keys, 32-byte values) and dials B through a proxy; B
 * joins empty and gets the full snapshot (the anchor: bytes A sent on that link, and the time from
 * the link coming online until B holds N). Then, ROUNDS times: the proxy cuts the link for CUT_S
 * seconds while CHANGED keys change on A (80% rewritten, 10% new, 10% deleted, paced over the cut),
 * the link is healed, and the same two figures are taken for the link that comes back: the bytes A
 * sent on it and the time from its coming online until B has applied every change.
 *
 * <p>Environment: KEYS (1000000), CHANGED (1000), CUT_S (10), ROUNDS (3), SYNC_EXTRA, LOOP_THREADS.
 */
public final class DeltaResyncBench {
    /** How long a mark trails the writes it covers (PeerLink.MARK_GRACE_MS plus an interval), with room. */
    private static final long MARK_SETTLE_MS = 4000;

    public static void main(String[] args) throws Exception {
        int n = BenchNode.intEnv("KEYS", 1_000_000);
        int changed = BenchNode.intEnv("CHANGED", 1000);
        int cutSeconds = BenchNode.intEnv("CUT_S", 10);
        int rounds = BenchNode.intEnv("ROUNDS", 3);
        String extra = BenchNode.env("SYNC_EXTRA", "");
        int threads = BenchNode.intEnv("LOOP_THREADS", 1);
        int[] ports = BenchNode.freePorts();
        AtomicLong applied = new AtomicLong();
        try (TcpProxy toB = new TcpProxy();
                BenchNode a = new BenchNode("a", ports[0], toB.port(), n, extra + " deny all;\n", threads);
                BenchNode b = new BenchNode("b", ports[1], ports[0], n, extra, threads)) {
            a.start();
            for (int i = 0; i < n; i++) {
                a.zone.set(BenchNode.key(i), BenchNode.value(i));
            }
            b.onRemote(new KeyvalListener() {
                @Override
                public void localChange(KeyvalZone zone, String key) {
                }

                @Override
                public void remoteChange(KeyvalZone zone, String key) {
                    applied.incrementAndGet();
                }
            });
            b.start();
            toB.to(new InetSocketAddress("127.0.0.1", ports[1]));
            double[] full = whole(a, applied, n);
            System.out.printf("full snapshot: %d records, %.0f bytes in %.3f s from the link online; %s%n", n,
                    full[0], full[1], BenchNode.loadNote());

            double[] bytes = new double[rounds];
            double[] secs = new double[rounds];
            int next = n;
            for (int round = 0; round < rounds; round++) {
                Thread.sleep(MARK_SETTLE_MS);
                toB.blackhole(true);
                toB.cutAll();
                while (a.online() > 0 || b.online() > 0) {
                    Thread.sleep(5);
                }
                applied.set(0);
                long pace = cutSeconds * 1000L * 1_000_000L / changed;
                long start = System.nanoTime();
                for (int i = 0; i < changed; i++) {
                    int kind = i % 10;
                    if (kind == 0) {
                        a.zone.set(BenchNode.key(next), BenchNode.value(next)); // new
                        next++;
                    } else if (kind == 1) {
                        a.zone.remove(BenchNode.key((long) round * changed + i)); // deleted
                    } else {
                        a.zone.set(BenchNode.key((long) round * changed + i), "rewritten-in-round-" + round);
                    }
                    long due = start + (i + 1) * pace;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                toB.blackhole(false);
                double[] d = whole(a, applied, changed);
                bytes[round] = d[0];
                secs[round] = d[1];
                if (b.zone.pairCount() != a.zone.pairCount()) {
                    throw new IllegalStateException("B holds " + b.zone.pairCount() + " pairs, A " + a.zone.pairCount());
                }
                System.out.printf("round %d: cut %d s, %d changed: %.0f bytes (%.3f%% of the full snapshot) in %.3f s"
                        + " from the link online (%.1f%% of the full snapshot's time); %s%n", round + 1, cutSeconds,
                        changed, d[0], 100 * d[0] / full[0], d[1], 100 * d[1] / full[1], BenchNode.loadNote());
            }
            Arrays.sort(bytes);
            Arrays.sort(secs);
            BenchNode.result("delta.full.bytes", full[0], "bytes");
            BenchNode.result("delta.full.seconds", full[1], "s");
            BenchNode.result("delta.bytes.median", bytes[rounds / 2], "bytes");
            BenchNode.result("delta.seconds.median", secs[rounds / 2], "s");
            BenchNode.result("delta.bytes_ratio.median", bytes[rounds / 2] / full[0], "ratio");
        }
    }

    /**
     * Waits until B has applied {@code expected} remote changes on the current link: {bytes A sent on
     * it, seconds from its coming online until then}.
     */
    private static double[] whole(BenchNode a, AtomicLong applied, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        while (applied.get() < expected) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("B applied only " + applied.get() + " of " + expected);
            }
            Thread.sleep(1);
        }
        long doneAt = System.currentTimeMillis();
        ZoneSyncStatus.NodeStatus link = a.cluster.status().nodes().stream().filter(s -> s.onlineSince() > 0)
                .findFirst().orElseThrow();
        return new double[] {link.bytesSent(), (doneAt - link.onlineSince()) / 1000.0};
    }
}
