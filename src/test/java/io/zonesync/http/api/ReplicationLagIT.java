package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TcpProxy;
import io.zonesync.testing.TestCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication lag of each link of a three-node cluster in which one peer stalls: node 0 links
 * to node 1 through a proxy that the test pauses (it holds the bytes and stops reading, the link
 * stays up) and to node 2 directly. A write on node 0 during the stall reaches node 2 at once and
 * its lag stays near zero, while node 1's lag grows, in the API's nodes extension and on the
 * Prometheus page, and falls back to zero once the proxy delivers what it held. With the proxy
 * refusing and its link cut, node 1's lag keeps growing from the first write it missed until the
 * link is back and has caught up.
 */
class ReplicationLagIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LAG_METRIC = Pattern.compile(
            "zonesync_peer_replication_lag_seconds\\{direction=\"outbound\",peer=\"([^\"]+)\"} ([0-9.eE-]+)\\n");

    @TempDir
    Path dir;
    private TestCluster<InJvmNode> cluster;
    private TcpProxy toB;
    /** Node 0's rows for node 1 (through the proxy) and node 2. */
    private String b;
    private String c;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (toB != null) {
            toB.close();
        }
    }

    /**
     * Node 0 refuses dials ({@code deny all}) and dials node 1 through the proxy and node 2
     * directly; a long zone_sync_timeout keeps the stalled link up.
     */
    private String config(int index, List<Integer> peers) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < peers.size(); i++) {
            int port = index == 0 && i == 1 ? toB.port() : peers.get(i);
            servers.append("zone_sync_server 127.0.0.1:").append(port).append(";\n");
        }
        return """
                events { }
                stream {
                    server {
                        listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms;
                        zone_sync_timeout 60s; %s %s
                    }
                }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location = /metrics { metrics; }
                    }
                }
                """.formatted(index == 0 ? "deny all;" : "", servers);
    }

    /** Node 0's row for the peer at this address. */
    private JsonNode row(String address) throws Exception {
        for (JsonNode n : JSON.readTree(ApiSpec.send(cluster.node(0).http(), "GET", "/api/9/stream/zone_sync/nodes", null)
                .body())) {
            if (n.path("address").asText().equals(address)) {
                return n;
            }
        }
        throw new AssertionError("no row for " + address);
    }

    private long lag(String address) throws Exception {
        JsonNode lag = row(address).path("replication_lag");
        assertThat(lag.isIntegralNumber()).as("lag of %s: %s", address, lag).isTrue();
        return lag.asLong();
    }

    /** The lag node 0's metrics page gives this peer, in seconds. */
    private double lagMetric(String address) {
        Matcher m = LAG_METRIC.matcher(cluster.node(0).http().get("/metrics").body());
        while (m.find()) {
            if (m.group(1).equals(address)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no lag metric for " + address);
    }

    /** Starts the three nodes and waits until node 0's links to node 1 ({@link #b}) and node 2 ({@link #c}) are idle. */
    private void startLinked() throws Exception {
        toB = new TcpProxy();
        cluster = TestCluster.open(3, this::config, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        toB.to(new InetSocketAddress("127.0.0.1", cluster.node(1).syncPort()));
        cluster.link();
        b = "127.0.0.1:" + toB.port();
        c = "127.0.0.1:" + cluster.node(2).syncPort();
        await().atMost(Duration.ofSeconds(30)).until(() -> row(b).path("state").asText().equals("live")
                && row(c).path("state").asText().equals("live") && lag(b) == 0 && lag(c) == 0);
    }

    @Test
    void aStalledPeersLagGrowsWhileTheOthersStaysLowAndFallsBackOnceItReads() throws Exception {
        startLinked();
        long reconnects = row(b).path("reconnects").asLong();

        toB.pause(true);
        assertThat(ApiSpec.send(cluster.node(0).http(), "POST", "/api/9/http/keyvals/one", "{\"k\":\"v\"}").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(2).http().get("/api/9/http/keyvals/one")
                .body().equals("{\"k\":\"v\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lag(c) == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> lag(b) >= 1000);
        long first = lag(b);
        await().atMost(Duration.ofSeconds(20)).until(() -> lag(b) >= first + 500);
        assertThat(lagMetric(b)).as("the metrics page agrees").isGreaterThanOrEqualTo(first / 1000.0);
        assertThat(lagMetric(c)).isLessThan(first / 1000.0);
        assertThat(cluster.node(1).http().get("/api/9/http/keyvals/one").body()).as("node 1 has not read it")
                .isEqualTo("{}");
        assertThat(row(b).path("state").asText()).as("a stall is not a cut").isEqualTo("live");

        toB.pause(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(1).http().get("/api/9/http/keyvals/one")
                .body().equals("{\"k\":\"v\"}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> lag(b) == 0 && lagMetric(b) == 0);
        assertThat(row(b).path("reconnects").asLong()).as("the same link recovered").isEqualTo(reconnects);
    }

    @Test
    void aDownPeersLagGrowsFromTheFirstChangeItMissedUntilItsNewLinkCaughtUp() throws Exception {
        startLinked();
        toB.refuse(true);
        toB.cutAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> !List.of("live", "snapshotting")
                .contains(row(b).path("state").asText()));
        assertThat(lag(b)).as("nothing changed since it went down: nothing owed").isZero();

        assertThat(ApiSpec.send(cluster.node(0).http(), "POST", "/api/9/http/keyvals/one", "{\"k\":\"v\"}").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> lag(b) >= 1000);
        long first = lag(b);
        await().atMost(Duration.ofSeconds(20)).until(() -> lag(b) >= first + 500);
        assertThat(lagMetric(b)).as("the metrics page agrees").isGreaterThanOrEqualTo(first / 1000.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> lag(c) == 0);
        assertThat(row(b).path("state").asText()).as("still away").isNotIn("live", "snapshotting");

        toB.refuse(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(1).http().get("/api/9/http/keyvals/one")
                .body().equals("{\"k\":\"v\"}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> row(b).path("state").asText().equals("live")
                && lag(b) == 0 && lagMetric(b) == 0);
    }
}
