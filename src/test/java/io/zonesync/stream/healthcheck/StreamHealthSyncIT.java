package io.zonesync.stream.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.stream.EchoServer;
import io.zonesync.stream.StreamClient;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestCluster;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream health check verdicts shared over zone_sync ({@code zone b 64k sync} in a stream
 * upstream): only node A checks the two backends; when one dies, the sessions B and C proxy no
 * longer try it (their access logs' {@code $upstream_addr} name only the live one), though their
 * passive checks are off ({@code max_fails=0}) and their own would have found nothing.
 */
class StreamHealthSyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private String config(int node, List<Integer> peers, String good, String bad) {
        StringBuilder c = new StringBuilder("error_log stderr error;\n"
                + "http { access_log off; server { listen 127.0.0.1:0; location /api { api; } } }\n"
                + "stream {\n upstream b { zone b 64k sync; server " + good + " max_fails=0; server " + bad
                + " max_fails=0; }\n log_format tried \"$upstream_addr\";\n"
                + " server { listen 127.0.0.3:0; proxy_pass b; proxy_connect_timeout 1s;\n  access_log "
                + dir.resolve("n" + node + ".log") + " tried;\n" + (node == 0 ? "  health_check interval=200ms;\n" : "")
                + " }\n server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms;\n");
        for (int p : peers) {
            c.append("  zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return c.append(" }\n}\n").toString();
    }

    private static int records(InJvmNode n) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + n.httpPort() + "/api/9/stream/zone_sync/")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body).path("zones").path("b").path("records_total").asInt();
    }

    /** Ten sessions through node {@code i}; the servers they tried, from its access log, once all are logged. */
    private List<String> tenSessions(TestCluster<InJvmNode> nodes, int i) throws Exception {
        InetSocketAddress a = (InetSocketAddress) nodes.nodes().get(i).node.streamAddresses().get("127.0.0.3:0");
        Path log = dir.resolve("n" + i + ".log");
        int before = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        for (int s = 0; s < 10; s++) {
            assertThat(StreamClient.exchange("127.0.0.3", a.getPort(), "x", 3)).isEqualTo("G:x");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).size() >= before + 10);
        List<String> lines = Files.readAllLines(log);
        return lines.subList(before, before + 10);
    }

    @Test
    void aStreamServerOnlyNodeAChecksIsAvoidedByEveryNode() throws Exception {
        try (EchoServer good = new EchoServer("G:"); EchoServer bad = new EchoServer("G:");
                TestCluster<InJvmNode> nodes = TestCluster.start(3,
                        (i, peers) -> config(i, peers, good.address(), bad.address()),
                        (i, conf) -> InJvmNode.start(dir.resolve("node" + i), conf))) {
            // A's first checks found both up: its two verdicts reach C
            await().atMost(Duration.ofSeconds(20)).until(() -> records(nodes.nodes().get(2)) == 2);
            assertThat(String.join("\n", tenSessions(nodes, 1))).contains(bad.address());

            bad.close();
            // until A's verdict arrives, a session through B may still try the dead server first
            await().atMost(Duration.ofSeconds(10)).until(() -> tenSessions(nodes, 1).stream()
                    .noneMatch(l -> l.contains(bad.address())));
            for (int i : new int[] {1, 2}) {
                assertThat(tenSessions(nodes, i)).as("node %d", i).allMatch(l -> l.equals(good.address()));
            }
        }
    }
}
