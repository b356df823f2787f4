package io.zonesync.sync.cluster;

import io.zonesync.net.Transport;
import io.zonesync.sync.link.LinkState;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bench/antientropy: two linked sync engines hold the same zone of N records (16-byte keys,
 * 32-byte values, stamped a minute ago, merged on both sides so nothing is pushed); then D records
 * are merged on A only, as if from a node that died before they reached B. Measured: the time from
 * then until B holds all D (the digests of doc/protocol.md 11.5 find and repair the difference),
 * and the records A sent to repair it. Run by bench/antientropy/run.sh; one line per figure.
 */
public final class AntiEntropyBench {
    private static final long DEAD_NODE = 0xDEADL;
    private static final byte[] VALUE = "v".repeat(32).getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        String interval = args[1];
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.out.printf("records=%d digest_interval=%s cores=%d%n", records, interval,
                Runtime.getRuntime().availableProcessors());
        for (int i = 2; i < args.length; i++) {
            int differing = Integer.parseInt(args[i]);
            run(records, interval, differing);
        }
    }

    private static ZoneRecord record(String prefix, int i, long millis) {
        byte[] key = String.format("%s%015d", prefix, i).getBytes(StandardCharsets.UTF_8);
        return new ZoneRecord(key, VALUE, new Stamp(Stamp.hlc(millis, 0), DEAD_NODE), false, ZoneRecord.NO_EXPIRY);
    }

    private static void run(int records, String interval, int differing) throws Exception {
        Transport transport = Transport.create(1, "bench-sync");
        String extra = " zone_sync_digest_interval " + interval + ";\n";
        EngineNode a = new EngineNode(transport, EngineNode.conf(0, List.of(), extra), "one");
        EngineNode b = new EngineNode(transport, EngineNode.conf(0, List.of(), extra), "one");
        try {
            long old = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < records; i++) {
                ZoneRecord r = record("k", i, old);
                a.zone().applyRemote(r);
                b.zone().applyRemote(r);
            }
            a.start();
            b.start();
            List<Integer> ports = List.of(a.syncPort(), b.syncPort());
            a.reload(EngineNode.conf(0, ports, extra));
            b.reload(EngineNode.conf(0, ports, extra));
            // both snapshots sent (identical records, so nothing changes), both links idle
            waitFor(() -> a.online() == 1 && b.online() == 1 && live(a) && live(b), 600);
            long sentBefore = a.cluster.status().msgsOut();
            long recordsBefore = recordsSent(a);
            for (int i = 0; i < differing; i++) {
                a.zone().applyRemote(record("d", i, old));
            }
            long start = System.nanoTime();
            String last = String.format("d%015d", differing - 1);
            String first = String.format("d%015d", 0);
            waitFor(() -> b.zone().get(last) != null && b.zone().get(first) != null
                    && b.zone().recordCount() == records + differing, 600);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("RESULT repair.n%d.d%d.seconds %.3f s%n", records, differing, seconds);
            System.out.printf("RESULT repair.n%d.d%d.records_sent %d records%n", records, differing,
                    recordsSent(a) - recordsBefore);
            System.out.printf("RESULT repair.n%d.d%d.frames_sent %d frames%n", records, differing,
                    a.cluster.status().msgsOut() - sentBefore);
        } finally {
            a.close();
            b.close();
            transport.shutdown();
        }
    }

    private static boolean live(EngineNode n) {
        for (var link : n.cluster.allLinks()) {
            if (link.state() != LinkState.LIVE || link.backlog().values().stream()
                    .anyMatch(v -> v > 0)) {
                return false;
            }
        }
        return !n.cluster.allLinks().isEmpty();
    }

    private static long recordsSent(EngineNode n) {
        long sent = 0;
        for (var link : n.cluster.allLinks()) {
            sent += link.recordCounts()[0];
        }
        return sent;
    }

    private static void waitFor(BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
