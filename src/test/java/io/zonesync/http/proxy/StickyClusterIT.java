package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.node.Node;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes proxying to three backends with {@code sticky learn ... sync}: a session learned
 * through one node is honoured by the other two, and when its backend dies the node that notices
 * re-binds it, and the others follow.
 */
class StickyClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<TestBackend> backends = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    private void cluster() throws Exception {
        for (String n : List.of("x", "y", "z")) {
            TestBackend b = new TestBackend(n);
            closeMe.add(b);
            backends.add(b);
        }
        String http = "upstream backend {\n zone backend 64k;\n"
                + " server " + backends.get(0).address() + ";\n server " + backends.get(1).address() + ";\n"
                + " server " + backends.get(2).address() + ";\n"
                + " sticky learn create=$upstream_cookie_session lookup=$cookie_session zone=sessions:1m sync;\n}\n"
                + "server { listen 127.0.0.1:0;\n location / { proxy_pass http://backend; }\n"
                + " location /api { api; } }";
        TestCluster<InJvmNode> nodes = TestCluster.start(3, (i, peers) -> {
            StringBuilder stream = new StringBuilder("stream { server { listen 127.0.0.1:0; zone_sync;"
                    + " zone_sync_connect_retry_interval 100ms;\n");
            for (int p : peers) {
                stream.append(" zone_sync_server 127.0.0.1:").append(p).append(";\n");
            }
            return "worker_processes 1;\n" + ProxyNodes.http(http) + stream.append("} }\n");
        }, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        closeMe.add(nodes);
        for (InJvmNode n : nodes.nodes()) {
            ports.add(n.httpPort());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int p : ports) {
                if (api(p, "/api/9/stream/zone_sync/").path("status").path("nodes_online").asInt() != 2) {
                    return false;
                }
            }
            return true;
        });
    }

    private JsonNode api(int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Which backend served a request carrying the session cookie through the node on {@code port}. */
    private String served(int port, String path, String session) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (session != null) {
            b.header("Cookie", "session=" + session);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Backend").orElseThrow();
    }

    /** Records merged from peers on the node, over all its links. */
    private long received(int port) throws Exception {
        long n = 0;
        for (JsonNode peer : api(port, "/api/9/stream/zone_sync/nodes")) {
            n += peer.path("records_received").asLong();
        }
        return n;
    }

    private void awaitSettled() {
        await().until(() -> {
            for (int p : ports) {
                if (api(p, "/api/9/stream/zone_sync/").path("zones").path("sessions").path("records_pending")
                        .asInt() != 0) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void sessionLearnedOnOneNodeIsHonouredByAllAndRebindsWhenItsBackendDies() throws Exception {
        cluster();
        String owner = served(ports.get(0), "/login?id=S1", null);
        await().until(() -> owner.equals(served(ports.get(1), "/", "S1")) && owner.equals(served(ports.get(2), "/",
                "S1")));
        for (int i = 0; i < 6; i++) {
            assertThat(served(ports.get(i % 3), "/again", "S1")).isEqualTo(owner);
        }
        Map<String, Integer> spread = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            spread.merge(served(ports.get(1), "/nosession", null), 1, Integer::sum);
        }
        assertThat(spread).hasSize(3); // without a session: round robin
        // the learned session is counted on every node, in the zone's size as its capacity models it
        await().until(() -> {
            for (int p : ports) {
                JsonNode z = api(p, "/api/9/stream/zone_sync/zones").path("sessions");
                if (z.path("sessions").path("current").asInt() != 1 || z.path("used").asLong() != 4096 + 256) {
                    return false;
                }
            }
            return true;
        });
        JsonNode zone = api(ports.get(2), "/api/9/stream/zone_sync/zones").path("sessions");
        assertThat(zone.path("type").asText()).isEqualTo("sticky");
        assertThat(zone.path("size").asLong()).isEqualTo(1024 * 1024);
        assertThat(zone.path("sessions").path("max").asInt()).isEqualTo((1024 * 1024 - 4096) / 256);

        awaitSettled();
        long beforeA = received(ports.get(0));
        long beforeC = received(ports.get(2));
        backends.stream().filter(b -> b.name.equals(owner)).findFirst().orElseThrow().close();
        String successor = served(ports.get(1), "/failover", "S1");
        assertThat(successor).isNotEqualTo(owner);
        await().until(() -> received(ports.get(0)) > beforeA && received(ports.get(2)) > beforeC);
        for (int i = 0; i < 6; i++) {
            assertThat(served(ports.get(i % 3), "/after", "S1")).isEqualTo(successor);
        }
    }
}
