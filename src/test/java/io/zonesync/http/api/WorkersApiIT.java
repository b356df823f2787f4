package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.core.RawClient;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /N/workers} through a real node with three event loops: connections and requests count
 * on the loop that serves them, idle, reading and in-progress ones as nginx splits them, the
 * metrics page shows the same figures, and DELETE zeroes the totals of one worker or all.
 */
class WorkersApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOOPS = 3;

    @TempDir
    Path dir;
    private InJvmNode node;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static String config(int upstreamPort) {
        return """
                worker_processes %d;
                events { }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location /metrics { metrics; }
                    }
                    server {
                        listen 127.0.0.2:0;
                        location / { return 200 "ok"; }
                        location /stuck { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(LOOPS, upstreamPort);
    }

    /** One keep-alive connection for every API call, so that the API itself adds no connection. */
    private RawClient admin;

    private RawClient.Response call(String method, String uri) throws Exception {
        admin.send(method + " " + uri + " HTTP/1.1\r\nHost: admin\r\n\r\n");
        RawClient.Response r = admin.read();
        if (!uri.startsWith("/api/")) {
            return r;
        }
        String apiPath = uri.replaceFirst("^/api", "").replaceFirst("\\?.*", "");
        String type = r.header("content-type");
        ApiSpec.check(method, apiPath, new ApiResponse(r.status(), type == null ? Map.of()
                : Map.of("Content-Type", type), r.body().getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private JsonNode workers() throws Exception {
        RawClient.Response r = call("GET", "/api/9/workers");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long sum(JsonNode workers, String object, String field) {
        long total = 0;
        for (JsonNode w : workers) {
            JsonNode o = object.equals("requests") ? w.get("http").get("requests") : w.get(object);
            total += o.get(field).asLong();
        }
        return total;
    }

    private RawClient client() throws Exception {
        RawClient c = new RawClient("127.0.0.2", node.httpPort("127.0.0.2:0"));
        clients.add(c);
        return c;
    }

    @Test
    void eachLoopCountsTheConnectionsAndRequestsItServes() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            node = InJvmNode.start(dir, config(silent.getLocalPort()));
            admin = new RawClient("127.0.0.1", node.httpPort("127.0.0.1:0"));
            clients.add(admin);

            JsonNode before = workers();
            assertThat(before).hasSize(LOOPS);
            long pid = JSON.readTree(call("GET", "/api/9/nginx").body()).get("pid").asLong();
            for (int i = 0; i < LOOPS; i++) {
                assertThat(before.get(i).get("id").asInt()).isEqualTo(i);
                assertThat(before.get(i).get("pid").asLong()).isEqualTo(pid).isEqualTo(ProcessHandle.current().pid());
            }
            assertThat(call("DELETE", "/api/9/workers").status()).isEqualTo(204);

            // six clients served once and now idle, one waiting on a silent upstream, one half through its header
            for (int i = 0; i < 6; i++) {
                RawClient c = client().send("GET / HTTP/1.1\r\nHost: front\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("ok");
            }
            client().send("GET /stuck HTTP/1.1\r\nHost: front\r\n\r\n");
            Socket upstream = silent.accept(); // the request is with the upstream, which never answers
            clients.add(upstream);
            client().send("GET / HTTP/1.1\r\nHost: fr");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode w = workers();
                assertThat(sum(w, "connections", "accepted")).isEqualTo(8);
                assertThat(sum(w, "connections", "dropped")).isZero();
                // the reading client, the stuck request and this API request; the six served ones wait
                assertThat(sum(w, "connections", "active")).isEqualTo(3);
                assertThat(sum(w, "connections", "idle")).isEqualTo(6);
                assertThat(sum(w, "requests", "current")).isEqualTo(2);
            });
            JsonNode first = workers();
            JsonNode second = workers();
            int apiWorker = -1;
            int busiest = 0;
            int servingWorkers = 0;
            for (int i = 0; i < LOOPS; i++) {
                long added = second.get(i).get("http").get("requests").get("total").asLong()
                        - first.get(i).get("http").get("requests").get("total").asLong();
                if (added == 1) {
                    apiWorker = i;
                }
                long accepted = second.get(i).get("connections").get("accepted").asLong();
                servingWorkers += accepted > 0 ? 1 : 0;
                if (accepted > second.get(busiest).get("connections").get("accepted").asLong()) {
                    busiest = i;
                }
            }
            assertThat(apiWorker).as("the API's requests count on its connection's loop only").isNotNegative();
            assertThat(sum(second, "requests", "total")).as("7 served or in progress, 3 API requests").isEqualTo(10);
            assertThat(servingWorkers).as("the connections spread over the loops").isGreaterThan(1);

            // the metrics page reads the same counters
            String page = call("GET", "/metrics").body();
            for (int i = 0; i < LOOPS; i++) {
                String labels = "{id=\"" + i + "\",pid=\"" + pid + "\"} ";
                assertThat(page).contains("\nnginxplus_worker_connection_accepted" + labels
                        + (double) second.get(i).get("connections").get("accepted").asLong() + "\n");
                assertThat(page).contains("\nnginxplus_worker_connection_idle" + labels
                        + (double) second.get(i).get("connections").get("idle").asLong() + "\n");
            }

            // one worker's totals count again from zero; what it has open stays
            assertThat(call("DELETE", "/api/9/workers/" + busiest).status()).isEqualTo(204);
            JsonNode reset = workers().get(busiest);
            assertThat(reset.get("connections").get("accepted").asLong()).isZero();
            assertThat(reset.get("connections").get("dropped").asLong()).isZero();
            assertThat(reset.get("http").get("requests").get("total").asLong())
                    .as("only the GET that read it, if it is the API's loop").isEqualTo(busiest == apiWorker ? 1 : 0);
            assertThat(reset.get("connections").get("idle")).isEqualTo(second.get(busiest).get("connections").get("idle"));
            assertThat(reset.get("connections").get("active"))
                    .isEqualTo(second.get(busiest).get("connections").get("active"));
            assertThat(call("GET", "/api/9/workers/" + LOOPS).body()).contains("\"code\":\"WorkerNotFound\"");

            // the node's totals are its own
            assertThat(JSON.readTree(call("GET", "/api/9/connections").body()).get("accepted").asLong())
                    .isGreaterThanOrEqualTo(9);

            // idle clients leave: their loops no longer count them
            for (AutoCloseable c : clients.subList(1, 7)) {
                c.close();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(sum(workers(), "connections", "idle")).isZero());
        }
    }
}
