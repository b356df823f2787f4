package io.zonesync.http.healthcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * How long after a backend dies no node of a 3-node cluster sends it requests any more, with every
 * node running {@code health_check interval=I} on it, without and with {@code zone ... sync}
 * (bench/healthsync/run.sh). A run: the backend is alive and up on every node; each node is
 * reloaded at a random moment within one interval (so the nodes' check phases are independent, as
 * on separate machines), then, after another random share of an interval, the backend's listener
 * closes; the clock runs until every node's API shows the server unhealthy (polled every 2 ms; an
 * unhealthy server is never selected). Passive checks are off ({@code max_fails=0}). Prints each
 * run and, per mode, the median, mean, min and max, and the ratio of the medians to the anchor
 * (without sync).
 *
 * <p>Arguments: RUNS INTERVAL_MS.
 */
public final class HealthSyncBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HealthSyncBench() {
    }

    /** A backend that answers 200 and can close its listener and listen again at its port. */
    private static final class Backend implements AutoCloseable {
        final int port;
        private final ExecutorService pool = Executors.newCachedThreadPool();
        private HttpServer server;

        Backend() throws IOException {
            port = listen(0);
        }

        private int listen(int at) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", at), 50);
            server.setExecutor(pool);
            server.createContext("/", Backend::handle);
            server.start();
            return server.getAddress().getPort();
        }

        private static void handle(HttpExchange ex) throws IOException {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        void die() {
            server.stop(0);
        }

        void revive() throws IOException {
            listen(port);
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        long interval = Long.parseLong(args[1]);
        Path dir = Files.createTempDirectory("healthsync-bench");
        double anchor = 0;
        for (boolean sync : new boolean[] {false, true}) {
            long[] ms = measure(dir.resolve(sync ? "sync" : "local"), sync, runs, interval);
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
            if (!sync) {
                anchor = median;
            }
            System.out.printf("RESULT mode=%s interval=%dms runs=%d median=%.0fms mean=%.0fms min=%dms max=%dms"
                    + " ratio_to_anchor=%.2f runs_ms=%s%n", sync ? "sync" : "no-sync", interval, runs, median,
                    Arrays.stream(ms).average().orElse(0), sorted[0], sorted[sorted.length - 1], median / anchor,
                    Arrays.toString(ms));
        }
        System.exit(0);
    }

    private static long[] measure(Path dir, boolean sync, int runs, long interval) throws Exception {
        try (Backend good = new Backend(); Backend bad = new Backend()) {
            String http = "worker_processes 1;\nerror_log stderr crit;\nhttp {\n access_log off;\n"
                    + " upstream b { zone b 64k" + (sync ? " sync" : "") + ";\n"
                    + "  server " + good.address() + " max_fails=0;\n  server " + bad.address() + " max_fails=0;\n }\n"
                    + " server { listen 127.0.0.1:0;\n"
                    + "  location / { proxy_pass http://b; proxy_connect_timeout 1s; proxy_read_timeout 1s;\n"
                    + "   health_check interval=" + interval + "ms; }\n"
                    + "  location /api { api; } }\n}\n";
            List<String> configs = new ArrayList<>();
            try (TestCluster<InJvmNode> nodes = TestCluster.start(3, (i, peers) -> {
                StringBuilder c = new StringBuilder(http).append("stream { server { listen 127.0.0.1:0; zone_sync;"
                        + " zone_sync_connect_retry_interval 100ms;\n");
                for (int p : peers) {
                    c.append("  zone_sync_server 127.0.0.1:").append(p).append(";\n");
                }
                return c.append("} }\n").toString();
            }, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf))) {
                List<Integer> ports = new ArrayList<>();
                for (InJvmNode n : nodes.nodes()) {
                    ports.add(n.httpPort());
                    configs.add(Files.readString(n.dir.resolve("zonesync.conf")));
                }
                awaitTrue(() -> online(ports), 20_000);
                long[] out = new long[runs];
                for (int run = 0; run < runs; run++) {
                    awaitTrue(() -> allState(ports, bad.address(), "up"), 20_000);
                    for (int i = 0; i < 3; i++) {
                        pause(ThreadLocalRandom.current().nextLong(interval));
                        nodes.node(i).reload(configs.get(i));
                    }
                    pause(interval + ThreadLocalRandom.current().nextLong(interval));
                    awaitTrue(() -> allState(ports, bad.address(), "up"), 20_000);
                    long died = System.nanoTime();
                    bad.die();
                    awaitTrue(() -> allState(ports, bad.address(), "unhealthy"), 60_000);
                    out[run] = (System.nanoTime() - died) / 1_000_000;
                    System.out.printf("run mode=%s %d: %d ms%n", sync ? "sync" : "no-sync", run + 1, out[run]);
                    bad.revive();
                }
                return out;
            }
        }
    }

    private static boolean online(List<Integer> ports) throws Exception {
        for (int p : ports) {
            if (api(p, "/api/9/stream/zone_sync/").path("status").path("nodes_online").asInt() != 2) {
                return false;
            }
        }
        return true;
    }

    private static boolean allState(List<Integer> ports, String server, String state) throws Exception {
        for (int p : ports) {
            boolean found = false;
            for (JsonNode peer : api(p, "/api/9/http/upstreams/b").path("peers")) {
                if (peer.path("server").asText().equals(server)) {
                    found = peer.path("state").asText().equals(state);
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode api(int port, String path) throws Exception {
        return JSON.readTree(CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls every 2 ms until {@code c} holds; fails after {@code timeoutMs}. */
    private static void awaitTrue(Check c, long timeoutMs) throws Exception {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!c.holds()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out");
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private static void pause(long ms) {
        LockSupport.parkNanos(ms * 1_000_000);
    }
}
