package io.zonesync.http.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health check verdicts shared over zone_sync ({@code zone b 64k sync}): three nodes proxy to two
 * real backends; only node A checks them ({@code health_check}), and passive checks are off
 * ({@code max_fails=0}). When a backend dies, nodes B and C take it out as soon as A's verdict
 * reaches them and send it nothing (a {@code sticky cookie} session bound to it is bound again);
 * when it listens again, A's next verdict brings it back on all.
 */
class HealthSyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Integer> ports = new ArrayList<>();

    /** A backend that answers its name, and can die and come back at its port; it counts client requests. */
    private static final class Backend implements AutoCloseable {
        final String name;
        final int port;
        final AtomicInteger clientRequests = new AtomicInteger();
        private final ExecutorService pool = Executors.newCachedThreadPool();
        private HttpServer server;

        Backend(String name) throws IOException {
            this.name = name;
            this.port = listen(0);
        }

        private int listen(int at) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", at), 50);
            server.setExecutor(pool);
            server.createContext("/", this::handle);
            server.start();
            return server.getAddress().getPort();
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

        private void handle(HttpExchange ex) throws IOException {
            if (!ex.getRequestURI().getPath().equals("/health")) {
                clientRequests.incrementAndGet();
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeMe.size() - 1; i >= 0; i--) {
            closeMe.get(i).close();
        }
    }

    private static String config(int node, List<Integer> peers, String servers) {
        StringBuilder c = new StringBuilder("worker_processes 1;\nerror_log stderr error;\nhttp {\n access_log off;\n"
                + " upstream b { zone b 64k sync;\n" + servers + "  sticky cookie srv;\n }\n"
                + " server { listen 127.0.0.1:0;\n"
                + "  location / { proxy_pass http://b; proxy_connect_timeout 1s; proxy_read_timeout 1s;\n"
                + (node == 0 ? "   health_check interval=200ms uri=/health;\n" : "") + "  }\n"
                + "  location /api { api; } }\n}\n"
                + "stream { server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms;\n");
        for (int p : peers) {
            c.append("  zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return c.append("} }\n").toString();
    }

    private JsonNode api(int port, String path) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode peer(int port, Backend b) throws Exception {
        for (JsonNode p : api(port, "/api/9/http/upstreams/b").get("peers")) {
            if (p.get("server").asText().equals(b.address())) {
                return p;
            }
        }
        throw new AssertionError(b.address() + " is not in the group");
    }

    private boolean stateOn(List<Integer> on, Backend b, String state) throws Exception {
        for (int p : on) {
            if (!peer(p, b).get("state").asText().equals(state)) {
                return false;
            }
        }
        return true;
    }

    /** 20 client requests through the node on {@code port}, all answered 200; who answered. */
    private List<String> twenty(int port) throws Exception {
        List<String> who = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/page")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            who.add(r.body());
        }
        return who;
    }

    /** One request through the node on {@code port} with cookie {@code srv} (or none): who answered, and the cookie set. */
    private String[] sticky(int port, String srv) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page"))
                .timeout(Duration.ofSeconds(20));
        if (srv != null) {
            b.header("Cookie", "srv=" + srv);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new String[] {r.body(), set.substring("srv=".length(), set.indexOf(';') < 0 ? set.length()
                : set.indexOf(';'))};
    }

    @Test
    void aServerOnlyNodeAChecksIsTakenOutAndBroughtBackOnEveryNode() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        closeMe.add(good);
        closeMe.add(bad);
        String servers = "  server " + good.address() + " max_fails=0;\n  server " + bad.address() + " max_fails=0;\n";
        TestCluster<InJvmNode> nodes = TestCluster.start(3, (i, peers) -> config(i, peers, servers),
                (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        closeMe.add(nodes);
        for (InJvmNode n : nodes.nodes()) {
            ports.add(n.httpPort());
        }
        List<Integer> others = ports.subList(1, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int p : ports) {
                if (api(p, "/api/9/stream/zone_sync/").path("status").path("nodes_online").asInt() != 2) {
                    return false;
                }
            }
            return true;
        });
        // A's first checks found both up: two verdicts, held by every node
        await().atMost(Duration.ofSeconds(10)).until(() -> api(ports.get(2), "/api/9/stream/zone_sync/")
                .path("zones").path("b").path("records_total").asInt() == 2);
        for (int p : others) {
            assertThat(twenty(p)).contains("good", "bad");
        }
        String[] first = sticky(ports.get(2), null);
        String[] second = sticky(ports.get(2), null);
        String boundToBad = first[0].equals("bad") ? first[1] : second[1];
        assertThat(sticky(ports.get(1), boundToBad)[0]).as("the session sticks on another node too").isEqualTo("bad");

        bad.die();
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOn(ports, bad, "unhealthy"));
        for (int p : others) {
            long tried = peer(p, bad).get("requests").asLong();
            assertThat(twenty(p)).containsOnly("good");
            assertThat(peer(p, bad).get("requests").asLong()).as("node on port %d sent nothing to the dead server", p)
                    .isEqualTo(tried);
            JsonNode health = peer(p, bad).get("health_checks");
            assertThat(health.get("unhealthy").asInt()).as("it became unhealthy once").isEqualTo(1);
            assertThat(health.get("checks").asInt()).as("the node checks nothing itself").isZero();
        }
        // a session bound to the dead server is bound again, without a try on it
        long tried = peer(ports.get(1), bad).get("requests").asLong();
        String[] moved = sticky(ports.get(1), boundToBad);
        assertThat(moved[0]).isEqualTo("good");
        assertThat(moved[1]).isNotEqualTo(boundToBad);
        assertThat(peer(ports.get(1), bad).get("requests").asLong()).isEqualTo(tried);

        bad.revive();
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOn(ports, bad, "up"));
        int before = bad.clientRequests.get();
        for (int p : others) {
            assertThat(twenty(p)).contains("good", "bad");
        }
        assertThat(bad.clientRequests.get()).isGreaterThan(before);
    }

    @Test
    void withoutSyncTheOtherNodesKeepTryingTheDeadServer() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        closeMe.add(good);
        closeMe.add(bad);
        String servers = "  server " + good.address() + " max_fails=0;\n  server " + bad.address() + " max_fails=0;\n";
        TestCluster<InJvmNode> nodes = TestCluster.start(3,
                (i, peers) -> config(i, peers, servers).replace("zone b 64k sync;", "zone b 64k;"),
                (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        closeMe.add(nodes);
        for (InJvmNode n : nodes.nodes()) {
            ports.add(n.httpPort());
        }
        bad.die();
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOn(List.of(ports.get(0)), bad, "unhealthy"));
        int b = ports.get(1);
        long tried = peer(b, bad).get("requests").asLong();
        assertThat(twenty(b)).containsOnly("good");
        assertThat(peer(b, bad).get("state").asText()).isEqualTo("up");
        assertThat(peer(b, bad).get("requests").asLong()).as("B still tries it").isGreaterThan(tried);
    }
}
