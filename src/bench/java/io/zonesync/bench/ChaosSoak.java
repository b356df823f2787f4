package io.zonesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.NetLab;
import io.zonesync.testing.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos soak (bench/chaos/run.sh): N bin/zonesync processes, each in its own network namespace,
 * take writes through the API on every node while a random fault hits the cluster every few
 * seconds (a partition, SIGSTOP, a slow lossy link, kill -9 and a restart, a reload that drops a
 * peer and one that adds it back). Each fault is healed before the next; the time from the heal
 * until every node holds at least as many records as there were writes acknowledged then is the
 * fault's convergence time. At the end every node must hold every acknowledged write.
 */
public final class ChaosSoak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "/api/9/http/keyvals/chaos";
    private static final int HTTP_PORT = 8080;
    private static final int SYNC_PORT = 12345;
    private static final long WRITE_PAUSE_MS = 20; // per node: about 50 writes a second each

    private final int seconds;
    private final int n;
    private final Random random;
    private final Path dir;
    private final NetLab lab;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final boolean[] down;
    private long longestConvergeMs;
    private String longestConvergeFault = "-";
    private final List<String> faults = new ArrayList<>();

    private ChaosSoak(int seconds, int n, long seed, Path dir) {
        this.seconds = seconds;
        this.n = n;
        this.random = new Random(seed);
        this.dir = dir;
        this.lab = NetLab.create(n);
        this.down = new boolean[n];
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        NetLab.unavailable().ifPresent(why -> {
            System.err.println("cannot run: " + why);
            System.exit(2);
        });
        Path dir = Files.createTempDirectory("chaos");
        System.out.printf("chaos soak: %d s, %d nodes, seed %d, in %s%n", seconds, n, seed, dir);
        ChaosSoak soak = new ChaosSoak(seconds, n, seed, dir);
        int status;
        try {
            status = soak.run();
        } finally {
            soak.close();
        }
        System.exit(status);
    }

    private String config(int h, List<Integer> listed) {
        StringBuilder servers = new StringBuilder();
        for (int l : listed) {
            servers.append("        zone_sync_server ").append(lab.address(l)).append(':').append(SYNC_PORT).append(";\n");
        }
        // Fixed ports are fine here: each node has its own namespace and address.
        return """
                error_log logs/error.log notice;
                events { }
                stream {
                    server {
                        listen %1$s:%2$d;
                        zone_sync;
                        zone_sync_connect_retry_interval 200ms;
                        zone_sync_connect_timeout 1s;
                        zone_sync_timeout 2s;
                        zone_sync_digest_interval 2s;
                %3$s    }
                }
                http {
                    access_log off;
                    keyval_zone zone=chaos:64m sync state=%4$s;
                    server {
                        listen %1$s:%5$d;
                        location /api { api write=on; }
                    }
                }
                """.formatted(lab.address(h), SYNC_PORT, servers, dir.resolve("node" + h + ".state"), HTTP_PORT);
    }

    private List<Integer> everyone() {
        List<Integer> all = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            all.add(h);
        }
        return all;
    }

    private int run() throws Exception {
        for (int h = 0; h < n; h++) {
            int host = h;
            nodes.add(NodeProcess.start(dir.resolve("node" + h), config(h, everyone()), lab.address(h), HTTP_PORT,
                    command -> lab.inside(host, command)));
        }
        awaitMesh(60_000);
        List<Thread> writers = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            int node = h;
            Thread t = new Thread(() -> write(node), "writer-" + h);
            t.start();
            writers.add(t);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(3000 + random.nextInt(5000)); // the pause between faults is the point, not a wait
            fault();
        }
        writing.set(false);
        for (Thread t : writers) {
            t.join();
        }
        lab.heal();
        long settled = System.nanoTime();
        boolean converged = awaitAllHold(acknowledged.size(), 120_000);
        long settleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settled);
        return report(converged, settleMs);
    }

    /** One node's writer: distinct keys, each acknowledged write remembered. */
    private void write(int node) {
        long seq = 0;
        while (writing.get()) {
            String key = "n" + node + "-" + seq++;
            try {
                if (!down[node]) {
                    HttpResponse<String> r = nodes.get(node).http().post(ZONE, "{\"" + key + "\":\"" + seq + "\"}");
                    if (r.statusCode() == 201) {
                        acknowledged.add(key);
                    } else {
                        failedWrites.incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                failedWrites.incrementAndGet(); // the node is stopped, killed or restarting: not acknowledged
            }
            try {
                Thread.sleep(WRITE_PAUSE_MS); // the write rate, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fault() throws Exception {
        int h = random.nextInt(n);
        int other = (h + 1 + random.nextInt(n - 1)) % n;
        long hold = 2000 + random.nextInt(4000);
        String what;
        switch (random.nextInt(5)) {
            case 0 -> {
                boolean all = random.nextBoolean();
                what = all ? "partition node " + h + " from all" : "partition node " + h + " from node " + other;
                for (int o = 0; o < n; o++) {
                    if (o != h && (all || o == other)) {
                        lab.cut(h, o);
                    }
                }
                Thread.sleep(hold);
                lab.heal();
            }
            case 1 -> {
                what = "SIGSTOP node " + h;
                down[h] = true;
                nodes.get(h).pause();
                Thread.sleep(hold);
                nodes.get(h).resume();
                down[h] = false;
            }
            case 2 -> {
                what = "slow lossy link at node " + h + " (1 Mbit/s, 2% loss)";
                lab.bandwidth(h, 1000);
                lab.loss(h, 2);
                Thread.sleep(hold);
                lab.heal();
            }
            case 3 -> {
                what = "kill -9 node " + h + " and restart";
                down[h] = true;
                nodes.get(h).kill9();
                Thread.sleep(hold / 2);
                nodes.get(h).launch();
                down[h] = false;
            }
            default -> {
                what = "reload node " + h + " without node " + other + ", then with it";
                List<Integer> without = everyone();
                without.remove(Integer.valueOf(other));
                reload(h, without);
                Thread.sleep(hold);
                reload(h, everyone());
            }
        }
        int target = acknowledged.size();
        long healed = System.nanoTime();
        boolean ok = awaitAllHold(target, 60_000);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
        faults.add(String.format("%-60s converged in %6d ms%s", what, ms, ok ? "" : " (NOT within 60 s)"));
        System.out.println(faults.get(faults.size() - 1));
        if (ms > longestConvergeMs) {
            longestConvergeMs = ms;
            longestConvergeFault = what;
        }
    }

    private void reload(int h, List<Integer> listed) throws IOException, InterruptedException {
        NodeProcess node = nodes.get(h);
        Files.writeString(node.prefix.resolve("conf/zonesync.conf"), config(h, listed));
        node.signal("HUP");
    }

    /** Until every node holds at least {@code records} records (cheap: records_total), or the time is up. */
    private boolean awaitAllHold(int records, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int h = 0; h < n && all; h++) {
                all = recordsTotal(h) >= records;
            }
            if (all) {
                return true;
            }
            Thread.sleep(100); // polling the nodes' counters
        }
        return false;
    }

    private long recordsTotal(int h) {
        try {
            JsonNode s = JSON.readTree(nodes.get(h).http().get("/api/9/stream/zone_sync").body());
            return s.path("zones").path("chaos").path("records_total").asLong(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void awaitMesh(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int h = 0; h < n && all; h++) {
                all = online(h) == n - 1;
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the mesh did not form within " + timeoutMs + " ms");
    }

    private int online(int h) {
        try {
            return JSON.readTree(nodes.get(h).http().get("/api/9/stream/zone_sync").body()).path("status")
                    .path("nodes_online").asInt(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Set<String> keys(int h) throws IOException {
        Set<String> out = new HashSet<>();
        JSON.readTree(nodes.get(h).http().get(ZONE).body()).fieldNames().forEachRemaining(out::add);
        return out;
    }

    private int report(boolean converged, long settleMs) throws Exception {
        System.out.println();
        System.out.println("faults injected: " + faults.size());
        System.out.println("writes acknowledged: " + acknowledged.size());
        System.out.println("writes not acknowledged (node down, stopped or restarting): " + failedWrites.get());
        List<Set<String>> held = new ArrayList<>();
        long lost = 0;
        for (int h = 0; h < n; h++) {
            Set<String> k = keys(h);
            held.add(k);
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(k);
            lost = Math.max(lost, missing.size());
            if (!missing.isEmpty()) {
                System.out.println("node " + h + " lacks " + missing.size() + " acknowledged writes, e.g. "
                        + missing.stream().limit(5).toList());
            }
        }
        int diverged = 0;
        for (int h = 1; h < n; h++) {
            if (!held.get(h).equals(held.get(0))) {
                diverged++;
            }
        }
        System.out.println("acknowledged writes lost: " + lost);
        System.out.println("nodes diverged at the end: " + diverged + (converged ? "" : " (no convergence within 120 s)"));
        System.out.println("final convergence after the last heal: " + settleMs + " ms");
        System.out.println("longest convergence after a fault healed: " + longestConvergeMs + " ms ("
                + longestConvergeFault + ")");
        for (int h = 0; h < n; h++) {
            long pid = nodes.get(h).jvmPid();
            long fds;
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = s.count();
            }
            System.out.println("node " + h + ": " + heap(pid) + ", " + fds + " file descriptors, "
                    + held.get(h).size() + " records");
        }
        return lost == 0 && diverged == 0 ? 0 : 1;
    }

    /** The JVM's heap in use, as jcmd GC.heap_info reports it. */
    private static String heap(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = Pattern.compile("total (\\d+K), used (\\d+K)").matcher(out);
        return m.find() ? "heap used " + m.group(2) + " of " + m.group(1) : "heap unknown";
    }

    private void close() {
        for (NodeProcess node : nodes) {
            node.close();
        }
        lab.close();
    }
}
