package io.zonesync.bench;

import io.zonesync.keyval.KeyvalReplica;
import io.zonesync.keyval.KeyvalType;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.zone.Stamp;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;

/**
 * (d) Heap bytes per record: used heap after full GCs, before and after filling one KeyvalZone
 * (wrapped in a KeyvalReplica, stamps from a HybridLogicalClock, as a synced zone is) with N pairs of
 * 16-byte keys and 32-byte values. Run it in its own JVM with -XX:+UseSerialGC so that "used after
 * System.gc()" is exact. The key and value strings are made inside the loop, so the zone owns them.
 *
 * <p>Environment: KEYS (default 1000000).
 */
public final class HeapPerRecordBench {
    public static void main(String[] args) throws Exception {
        int n = BenchNode.intEnv("KEYS", 1_000_000);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        HybridLogicalClock clock = HybridLogicalClock.of(42, Clock.systemUTC());
        long size = (long) n * (KeyvalZone.ENTRY_OVERHEAD + 16 + 32) * 2;
        KeyvalZone zone = new KeyvalZone("bench", size, KeyvalType.STRING, 0, true, Clock.systemUTC(), clock);
        KeyvalReplica replica = new KeyvalReplica(zone);
        long before = used(mem);
        for (int i = 0; i < n; i++) {
            zone.set(BenchNode.key(i), BenchNode.value(i));
        }
        long after = used(mem);
        double perRecord = (double) (after - before) / n;
        System.out.printf("%d pairs (16-byte keys, 32-byte values): used heap %d -> %d bytes, %.1f bytes/record;"
                + " zone budget counts %d bytes/record; %s; %s%n", n, before, after, perRecord,
                zone.usedBytes() / n, System.getProperty("java.vm.name") + " " + Runtime.version(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (replica.recordCount() != n) {
            throw new IllegalStateException("zone holds " + replica.recordCount());
        }
        BenchNode.result("heap.bytes_per_record", perRecord, "bytes");
        zone = null;
        replica = null;
        whatIf(mem, n);
    }

    /** An early KeyvalStore entry layout (a String value, a Stamp), rebuilt here as an anchor. */
    record SameEntry(String value, long expireAt, Stamp stamp, long cost) {
    }

    /** The HashMap layout KeyvalStore used before its records became one array each. */
    record CompactEntry(byte[] value, long expireAt, long hlc, long node) {
    }

    /**
     * Not zonesync code: the same N pairs in a HashMap with (1) an early entry layout and (2) the
     * entry object KeyvalStore had before its one-array records, anchors for the figure above.
     */
    private static void whatIf(MemoryMXBean mem, int n) {
        long before = used(mem);
        HashMap<String, SameEntry> same = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String k = BenchNode.key(i);
            same.put(k, new SameEntry(BenchNode.value(i), 0, new Stamp(i, 42), 112));
        }
        long after = used(mem);
        System.out.printf("what-if, HashMap<String, (String value, long expireAt, Stamp, long cost)> (keyval's"
                + " first layout): %.1f bytes/record (%d entries)%n", (double) (after - before) / n, same.size());
        BenchNode.result("heap.whatif.same_layout", (double) (after - before) / n, "bytes");
        same = null;
        before = used(mem);
        HashMap<String, CompactEntry> compact = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String k = BenchNode.key(i);
            compact.put(k, new CompactEntry(BenchNode.value(i).getBytes(StandardCharsets.UTF_8), 0,
                    i, 42));
        }
        after = used(mem);
        System.out.printf("what-if, HashMap<String, (byte[] value, long expireAt, long hlc, long node)> (keyval's"
                + " layout before one array per key):"
                + " %.1f bytes/record (%d entries)%n", (double) (after - before) / n, compact.size());
        BenchNode.result("heap.whatif.compact_layout", (double) (after - before) / n, "bytes");
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
