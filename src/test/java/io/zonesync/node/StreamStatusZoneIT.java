package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.stream.EchoServer;
import io.zonesync.stream.StreamClient;
import io.zonesync.stream.statuszone.StreamZoneCounters;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status_zone} in stream servers: connections in progress and accepted, sessions by status
 * class (a denied connection is a 4xx, one over limit_conn a 5xx), bytes each way; two servers
 * naming one zone add up, and the zone keeps its figures across a reload.
 */
class StreamStatusZoneIT {
    @TempDir
    Path dir;

    private static StreamZoneCounters.Report zone(InJvmNode node, String name) {
        return node.node.counters().streamZones().report(name).orElseThrow();
    }

    @Test
    void countsSessionsAsNginxPlusReportsThem() throws Exception {
        String config = """
                events { }
                stream {
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    server { listen 127.0.0.1:0; status_zone tcp; limit_conn addr 1; proxy_pass %1$s; }
                    server { listen 127.0.0.2:0; status_zone tcp; deny all; proxy_pass %1$s; }
                }
                """;
        try (EchoServer backend = new EchoServer("B:");
                InJvmNode node = InJvmNode.start(dir, config.formatted(backend.address()))) {
            int port = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.1:0")).getPort();
            int denied = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.2:0")).getPort();
            try (Socket first = StreamClient.connect(port)) {
                first.getOutputStream().write("hey".getBytes());
                assertThat(StreamClient.read(first.getInputStream(), 5)).isEqualTo("B:hey");
                assertThat(zone(node, "tcp").processing()).isEqualTo(1);
                assertThat(StreamClient.exchange(port, "2", 3)).as("over limit_conn").isEmpty();
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", denied));
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).as("denied").isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                StreamZoneCounters.Report r = zone(node, "tcp");
                assertThat(r.processing()).isZero();
                assertThat(r.connections()).isEqualTo(3);
                assertThat(r.sessions()).isEqualTo(new StreamZoneCounters.Sessions(1, 1, 1, 3));
                assertThat(r.received()).isEqualTo(3);
                assertThat(r.sent()).isEqualTo(5);
            });
            node.reload(config.formatted(backend.address()).replace("status_zone tcp; deny", "status_zone other; deny"));
            assertThat(zone(node, "tcp").connections()).as("kept across the reload").isEqualTo(3);
        }
    }
}
