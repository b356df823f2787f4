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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-peer extension {@code /api/9/stream/zone_sync/nodes} of two real nodes whose one link
 * goes through a proxy that the test cuts: the round trip, bytes, state and since when, last error,
 * last-seen age and reconnect count, each answer checked against the OpenAPI document, and the same
 * figures on the Prometheus page.
 */
class PeerStatusIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestCluster<InJvmNode> cluster;
    private TcpProxy toB;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (toB != null) {
            toB.close();
        }
    }

    /** Node 0 dials node 1 through the proxy and refuses dials ({@code deny all}): one link, which the test cuts. */
    private String config(int index, List<Integer> peers) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < peers.size(); i++) {
            int port = index == 0 && i == 1 ? toB.port() : peers.get(i);
            servers.append("zone_sync_server 127.0.0.1:").append(port).append(";\n");
        }
        return """
                events { }
                stream {
                    server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms; %s %s }
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

    /** The one peer row of a node (each node here has exactly one peer). */
    private static JsonNode peer(Http http) throws Exception {
        JsonNode rows = JSON.readTree(ApiSpec.send(http, "GET", "/api/9/stream/zone_sync/nodes", null).body());
        assertThat(rows.size()).as("rows %s", rows).isEqualTo(1);
        return rows.get(0);
    }

    @Test
    void aCutLinkShowsItsErrorAndSilenceThenComesBackCountedAsAReconnect() throws Exception {
        toB = new TcpProxy();
        cluster = TestCluster.open(2, this::config, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        toB.to(new InetSocketAddress("127.0.0.1", cluster.node(1).syncPort()));
        cluster.link();
        Http a = cluster.node(0).http();
        Http b = cluster.node(1).http();

        await().atMost(Duration.ofSeconds(20)).until(() -> peer(a).path("state").asText().equals("live")
                && peer(a).path("rtt").isNumber());
        JsonNode up = peer(a);
        assertThat(up.path("direction").asText()).isEqualTo("outbound");
        assertThat(up.path("reconnects").asLong()).isZero();
        assertThat(up.path("last_error").isNull()).isTrue();
        assertThat(up.path("ssl").isNull()).as("a plain link").isTrue();
        assertThat(up.path("node_id").asText()).isNotEmpty();
        assertThat(up.path("rtt").asDouble()).as("loopback round trip, ms").isPositive().isLessThan(1000);
        assertThat(up.path("last_seen_age").asLong()).isGreaterThanOrEqualTo(0).isLessThan(30_000);

        assertThat(ApiSpec.send(a, "POST", "/api/9/http/keyvals/one", "{\"k\":\"v\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> peer(b).path("bytes_received").asLong() > 0);
        assertThat(peer(b).path("direction").asText()).isEqualTo("inbound");
        assertThat(peer(b).path("records_received").asLong()).isEqualTo(1);
        assertThat(peer(a).path("bytes_sent").asLong()).isEqualTo(peer(b).path("bytes_received").asLong());
        String metrics = a.get("/metrics").body();
        assertThat(metrics).containsPattern("zonesync_peer_rtt_seconds\\{[^}]*direction=\"outbound\"[^}]*} [0-9.eE-]+")
                .contains("zonesync_peer_reconnects_total{").contains("zonesync_peer_bytes_sent_total{")
                .contains("zonesync_peer_last_seen_age_seconds{");

        Instant cut = Instant.now();
        toB.refuse(true);
        toB.cutAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> !peer(a).path("state").asText().equals("live")
                && !peer(a).path("last_error").isNull());
        JsonNode down = peer(a);
        assertThat(down.path("rtt").isNull()).as("no link, no round trip").isTrue();
        assertThat(Instant.parse(down.path("state_since").asText())).isAfterOrEqualTo(cut.minusSeconds(1));
        assertThat(down.path("last_seen").isNull()).as("kept from the lost link").isFalse();
        long silent = down.path("last_seen_age").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> peer(a).path("last_seen_age").asLong() > silent + 200);

        toB.refuse(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> peer(a).path("state").asText().equals("live"));
        JsonNode back = peer(a);
        assertThat(back.path("reconnects").asLong()).isEqualTo(1);
        assertThat(back.path("node_id").asText()).isEqualTo(up.path("node_id").asText());
        assertThat(Instant.parse(back.path("last_seen").asText())).isAfter(Instant.parse(down.path("last_seen")
                .asText()));
        assertThat(Instant.parse(back.path("state_since").asText())).isAfter(Instant.parse(down.path("state_since")
                .asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> peer(b).path("reconnects").asLong() == 1);
        assertThat(a.get("/metrics").body()).containsPattern("zonesync_peer_reconnects_total\\{[^}]*} 1(\\.0)?\\n");
    }
}
