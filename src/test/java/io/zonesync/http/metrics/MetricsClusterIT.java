package io.zonesync.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Prometheus;
import io.zonesync.testing.TestCluster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the {@code metrics} location of a three-node cluster; PromQL through its
 * HTTP API sees each node with two peers online, a synced keyval record counted on every node, and
 * requests to a location's status zone, an upstream server, a stream upstream server and a limit_req
 * zone counted where they were served; and zonesync's own series: each link's replication lag, the
 * snapshot durations as histograms, and the synced zone's size.
 */
class MetricsClusterIT {
    @TempDir
    Path dir;

    private TestCluster<InJvmNode> cluster;
    private HttpServer backend;
    private Prometheus prometheus;

    @AfterEach
    void tearDown() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    private String config(List<Integer> peers) {
        String servers = peers.stream().map(p -> "zone_sync_server 127.0.0.1:" + p + ";")
                .collect(Collectors.joining(" "));
        return """
                events { }
                stream {
                    server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms; %s }
                    server { listen 127.0.0.1:0; status_zone tcp; return "x"; }
                    upstream sback { zone sback 64k; server 127.0.0.1:%d; }
                    server { listen 127.0.0.4:0; proxy_pass sback; }
                }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    limit_req_zone $binary_remote_addr zone=lr:1m rate=1r/m;
                    upstream back { zone back 64k; server 127.0.0.1:%d; }
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location = /metrics { metrics; }
                        location /hello { status_zone hello; return 200 "hi"; }
                        location /up { proxy_pass http://back; }
                        location /limited { limit_req zone=lr; proxy_pass http://back; }
                    }
                }
                """.formatted(servers, backend.getAddress().getPort(), backend.getAddress().getPort());
    }

    @Test
    void prometheusSeesTheClusterThroughTheMetricsLocation() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        });
        backend.start();
        cluster = TestCluster.start(3, (i, peers) -> config(peers),
                (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        List<String> targets = cluster.nodes().stream().map(n -> "127.0.0.1:" + n.httpPort()).toList();
        Path prom = Files.createDirectories(dir.resolve("prometheus"));
        prometheus = Prometheus.start(prom, "/metrics", targets);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                prometheus.query("nginxplus_stream_zone_sync_status_nodes_online"))
                .as(prometheus::log).containsOnlyKeys(targets).allSatisfy((instance, v) -> assertThat(v).isEqualTo(2.0)));
        assertThat(prometheus.query("up")).containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isEqualTo(1.0));

        Http first = cluster.node(0).http();
        assertThat(first.post("/api/9/http/keyvals/one", "{\"k\":\"v\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                prometheus.query("nginxplus_stream_zone_sync_zone_records_total{zone=\"one\"}"))
                .containsOnlyKeys(targets).allSatisfy((instance, v) -> assertThat(v).isEqualTo(1.0)));

        for (int i = 0; i < 5; i++) {
            assertThat(first.get("/hello").statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(prometheus.query(
                "nginxplus_location_zone_responses{location_zone=\"hello\",code=\"2xx\"}"))
                .containsEntry(targets.get(0), 5.0));
        for (int i = 0; i < 3; i++) {
            assertThat(first.get("/up").statusCode()).isEqualTo(200);
        }
        String server = "127.0.0.1:" + backend.getAddress().getPort();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(prometheus.query("nginxplus_upstream_server_requests{upstream=\"back\",server=\"" + server
                    + "\"}")).containsEntry(targets.get(0), 3.0).containsEntry(targets.get(1), 0.0);
            assertThat(prometheus.query("nginxplus_upstream_server_responses{upstream=\"back\",code=\"2xx\"}"))
                    .containsEntry(targets.get(0), 3.0);
            assertThat(prometheus.query("nginxplus_upstream_server_state{upstream=\"back\"}"))
                    .containsEntry(targets.get(0), 1.0);
        });

        assertThat(first.get("/limited").statusCode()).isEqualTo(200);
        assertThat(first.get("/limited").statusCode()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(prometheus.query("nginxplus_limit_request_passed{zone=\"lr\"}")).containsEntry(targets.get(0), 1.0);
            assertThat(prometheus.query("nginxplus_limit_request_rejected{zone=\"lr\"}"))
                    .containsEntry(targets.get(0), 1.0);
        });
        assertThat(prometheus.query("nginxplus_stream_server_zone_connections{server_zone=\"tcp\"}"))
                .containsOnlyKeys(targets);
        int streamPort = cluster.node(0).node.streamAddresses().values().stream().map(a -> (InetSocketAddress) a)
                .filter(a -> a.getAddress().getHostAddress().equals("127.0.0.4")).findFirst().orElseThrow().getPort();
        try (Socket s = new Socket("127.0.0.4", streamPort)) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).endsWith("ok");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(prometheus.query("nginxplus_stream_upstream_server_connections{upstream=\"sback\",server=\""
                    + server + "\"}")).containsEntry(targets.get(0), 1.0).containsEntry(targets.get(1), 0.0);
            assertThat(prometheus.query("nginxplus_stream_upstream_server_received{upstream=\"sback\"}"))
                    .hasEntrySatisfying(targets.get(0), v -> assertThat(v).isPositive());
            assertThat(prometheus.query("nginxplus_stream_upstream_server_state{upstream=\"sback\"}"))
                    .containsEntry(targets.get(0), 1.0);
        });
        // zonesync's own: every node was taught "one" by a whole snapshot from a peer (the others may
        // have sent it none, doc/protocol.md 11.7): each received at least one, and the nodes sent
        // at least one each on average
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> sent = prometheus.query("zonesync_snapshot_send_duration_seconds_count{zone=\"one\"}");
            Map<String, Double> received = prometheus.query(
                    "zonesync_snapshot_receive_duration_seconds_count{zone=\"one\"}");
            assertThat(sent).containsOnlyKeys(targets);
            assertThat(received).containsOnlyKeys(targets)
                    .allSatisfy((t, v) -> assertThat(v).isGreaterThanOrEqualTo(1.0));
            assertThat(sent.values().stream().mapToDouble(Double::doubleValue).sum()).as("one to each node at least")
                    .isGreaterThanOrEqualTo(targets.size());
            assertThat(prometheus.query("histogram_quantile(0.99, sum by (instance, le) "
                    + "(zonesync_snapshot_receive_duration_seconds_bucket))"))
                    .containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isLessThan(10.0));
            assertThat(prometheus.query("count by (instance) (zonesync_peer_replication_lag_seconds)"))
                    .containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isEqualTo(2.0));
            assertThat(prometheus.query("max by (instance) (zonesync_peer_replication_lag_seconds)"))
                    .containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isLessThan(5.0));
            assertThat(prometheus.query("zonesync_zone_size_bytes{zone=\"one\"}"))
                    .containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isEqualTo(32768.0));
            assertThat(prometheus.query("zonesync_zone_used_bytes{zone=\"one\"}"))
                    .containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isPositive());
        });
        promtoolAccepts(first.get("/metrics").body());
        Map<String, Double> peers = prometheus.query("sum by (instance) (zonesync_peer_online)");
        assertThat(peers).containsOnlyKeys(targets).allSatisfy((t, v) -> assertThat(v).isEqualTo(2.0));
    }

    /** promtool's verdict on a live page: it parses, and breaks only the lint rule NodeMetricsTest names. */
    private void promtoolAccepts(String page) throws Exception {
        Path file = dir.resolve("page.txt");
        Files.writeString(file, page);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines()).as(out).containsOnly(
                "nginxplus_stream_zone_sync_zone_records_total non-counter metrics should not have \"_total\" suffix");
        assertThat(p.exitValue()).as(out).isEqualTo(3);
    }
}
