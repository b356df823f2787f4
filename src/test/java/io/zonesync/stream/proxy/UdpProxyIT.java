package io.zonesync.stream.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.stream.UdpEcho;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UDP stream servers end to end: proxying to a real UDP echo backend, proxy_responses, return. */
class UdpProxyIT {
    @TempDir
    Path dir;

    private static int port(InJvmNode node) {
        return ((InetSocketAddress) node.node.streamAddresses().values().iterator().next()).getPort();
    }

    @Test
    void proxiesADatagramAndItsAnswerThenEndsTheSession() throws Exception {
        try (UdpEcho echo = new UdpEcho("U:"); InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream {
                    log_format u "$protocol $status $bytes_received $bytes_sent $upstream_addr";
                    access_log logs/udp.log u;
                    upstream dns { server %s; }
                    server { listen 127.0.0.1:0 udp; proxy_pass dns; proxy_responses 1; proxy_timeout 5s; }
                }
                """.formatted(echo.address()))) {
            assertThat(UdpEcho.exchange("127.0.0.1", port(node), "query", 1)).isEqualTo("U:query");
            assertThat(UdpEcho.exchange("127.0.0.1", port(node), "again", 1)).isEqualTo("U:again");
            Path log = dir.resolve("logs/udp.log");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.exists(log)
                    ? Files.readAllLines(log) : List.of()).containsExactly(
                            "UDP 200 5 7 " + echo.address(), "UDP 200 5 7 " + echo.address()));
        }
    }

    @Test
    void theTimeoutEndsASessionWithoutAResponseLimit() throws Exception {
        try (UdpEcho echo = new UdpEcho("U:"); InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream {
                    log_format u "$protocol $status $bytes_received $bytes_sent";
                    access_log logs/udp.log u;
                    server { listen 127.0.0.1:0 udp; proxy_pass %s; proxy_timeout 300ms; }
                }
                """.formatted(echo.address()))) {
            assertThat(UdpEcho.exchange("127.0.0.1", port(node), "one", 1)).isEqualTo("U:one");
            Path log = dir.resolve("logs/udp.log");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.exists(log)
                    ? Files.readAllLines(log) : List.of()).containsExactly("UDP 200 3 5"));
        }
    }

    @Test
    void returnAnswersWithOneDatagram() throws Exception {
        try (InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream { server { listen 127.0.0.1:0 udp; return "$protocol $remote_addr"; } }
                """)) {
            assertThat(UdpEcho.exchange("127.0.0.1", port(node), "x", 1)).isEqualTo("UDP 127.0.0.1");
        }
    }
}
