package io.zonesync.bench;

import io.zonesync.access.StreamAccessModule;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.keyval.KeyvalListener;
import io.zonesync.keyval.KeyvalReplica;
import io.zonesync.keyval.KeyvalType;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.sync.cluster.SyncCluster;
import io.zonesync.sync.cluster.ZoneSyncModule;
import io.zonesync.sync.cluster.ZoneSyncSettings;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One zonesync node for the benchmarks: its own event loop group (so two nodes in one JVM do not
 * share threads), a hybrid logical clock, one keyval zone "bench" marked sync, wrapped in a
 * KeyvalReplica and handed to a real SyncCluster configured from stream config text.
 */
final class BenchNode implements AutoCloseable {
    static final String ZONE = "bench";

    final String name;
    final long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    final HybridLogicalClock clock = HybridLogicalClock.of(id, Clock.systemUTC());
    final Transport transport;
    final KeyvalZone zone;
    final KeyvalReplica replica;
    final SyncCluster cluster;

    /**
     * @param ownPort  the zone_sync listen port
     * @param peerPort the other node's port
     * @param pairs    how many 16+32-byte pairs the zone must hold (its size is set from that)
     * @param extra    extra zone_sync directives (e.g. "zone_sync_buffers 8 4k;"), may be empty
     */
    BenchNode(String name, int ownPort, int peerPort, int pairs, String extra, int loopThreads) throws Exception {
        this.name = name;
        this.transport = Transport.create(loopThreads, "bench-" + name);
        long size = Math.max(KeyvalZone.MIN_SIZE, (long) pairs * (KeyvalZone.ENTRY_OVERHEAD + 16 + 32) * 2);
        this.zone = new KeyvalZone(ZONE, size, KeyvalType.STRING, 0, true, Clock.systemUTC(), clock);
        this.replica = new KeyvalReplica(zone);
        this.cluster = new SyncCluster(settings(conf(ownPort, peerPort, extra)), id, clock, Clock.systemUTC(),
                transport);
        cluster.setZones(List.of(replica));
    }

    static String conf(int port, int peer, String extra) {
        return "server {\n listen 127.0.0.1:" + port + ";\n zone_sync;\n zone_sync_connect_retry_interval 100ms;\n"
                + " zone_sync_server 127.0.0.1:" + port + ";\n zone_sync_server 127.0.0.1:" + peer + ";\n"
                + (extra == null ? "" : extra) + "\n}\n";
    }

    static ZoneSyncSettings settings(String streamBody) throws Exception {
        Block root = ConfigParser.parseString("stream {\n" + streamBody + "\n}\n", "bench.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new StreamCoreModule(), new StreamAccessModule(), new ZoneSyncModule());
        registry.validate(root);
        Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return ZoneSyncSettings.compile(StreamServerConf.compileAll(stream), ZoneSyncSettings.HostResolver.SYSTEM)
                .orElseThrow();
    }

    void onRemote(KeyvalListener listener) {
        zone.addListener(listener);
    }

    BenchNode start() throws IOException {
        cluster.start();
        return this;
    }

    int online() {
        return cluster.status().nodesOnline();
    }

    @Override
    public void close() {
        cluster.stop();
        transport.shutdown();
    }

    // ---- helpers shared by the benchmarks --------------------------------------------------------

    /** Two free loopback ports. */
    static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    /** A 16-byte ASCII key for index i: "k" and 15 digits. */
    static String key(long i) {
        String d = Long.toString(i);
        StringBuilder b = new StringBuilder(16).append('k');
        for (int n = d.length(); n < 15; n++) {
            b.append('0');
        }
        return b.append(d).toString();
    }

    /** The index a {@link #key} stands for. */
    static int index(String key) {
        int v = 0;
        for (int i = 1; i < key.length(); i++) {
            v = v * 10 + (key.charAt(i) - '0');
        }
        return v;
    }

    /** A 32-byte ASCII value. */
    static String value(long i) {
        String d = Long.toString(i);
        StringBuilder b = new StringBuilder(32).append("value-");
        for (int n = d.length(); n < 26; n++) {
            b.append('x');
        }
        return b.append(d).toString();
    }

    static int intEnv(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim().replace("_", ""));
    }

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null ? def : v;
    }

    static void waitOnline(BenchNode a, BenchNode b, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (a.online() < 1 || b.online() < 1) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("nodes not connected after " + timeoutMs + " ms");
            }
            Thread.sleep(5);
        }
    }

    /** One line the run script collects: RESULT name value unit. */
    static void result(String name, double value, String unit) {
        System.out.printf("RESULT %s %.3f %s%n", name, value, unit);
    }

    /** Milliseconds all collectors of this JVM have spent collecting so far (pauses, for G1 young/full). */
    static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory
                .getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    static String loadNote() {
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "loadavg ?";
        }
    }
}
