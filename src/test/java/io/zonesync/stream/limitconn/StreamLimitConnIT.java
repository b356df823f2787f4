package io.zonesync.stream.limitconn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream limit_conn as nginx's: a zone spends its memory as nginx's does (when a new key does not
 * fit, the session is closed with 503 and counted as rejected, and the room comes back when a
 * key's last session ends), and a session refused, in a dry run too, gives back the places it took.
 */
class StreamLimitConnIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A key of about 250 bytes (the client port and padding): 48 + 250 bytes take a 512-byte slot,
     * so the least zone (32 KiB, less the allocator's page) holds 56 of them.
     */
    private static final String KEY = "${remote_port}" + "x".repeat(240);

    @TempDir
    Path dir;

    private static JsonNode counts(InJvmNode node) throws Exception {
        return counts(node, "tcp");
    }

    private static JsonNode counts(InJvmNode node, String zone) throws Exception {
        return JSON.readTree(node.http().get("/api/9/stream/limit_conns/" + zone).body());
    }

    /** Whether a session to {@code port} stays open (passed) rather than being closed. */
    private static boolean staysOpen(Socket s) throws Exception {
        s.setSoTimeout(500);
        try {
            return s.getInputStream().read() != -1;
        } catch (SocketTimeoutException open) {
            return true;
        }
    }

    @Test
    void aSessionRefusedInADryRunGivesBackThePlacesItTookAndGoesOn() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
                InJvmNode node = InJvmNode.start(dir, """
                        events { }
                        stream {
                            limit_conn_zone shared zone=all:32k;
                            limit_conn_zone $remote_addr zone=perip:32k;
                            server { listen 127.0.0.1:0; limit_conn all 2; limit_conn perip 1; limit_conn_dry_run on;
                                     proxy_pass 127.0.0.1:%1$d; }
                            server { listen 127.0.0.2:0; limit_conn all 2; proxy_pass 127.0.0.1:%1$d; }
                        }
                        http {
                            access_log off;
                            server { listen 127.0.0.1:0; location /api { api; } }
                        }
                        """.formatted(silent.getLocalPort()));
                Socket first = new Socket("127.0.0.1", port(node, "127.0.0.1:0"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> counts(node, "perip").path("passed").asLong() == 1);
            try (Socket dry = new Socket("127.0.0.1", port(node, "127.0.0.1:0"))) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> counts(node, "perip").path("rejected_dry_run").asLong() == 1);
                assertThat(staysOpen(dry)).as("a dry run lets the session go on").isTrue();
                try (Socket other = new Socket("127.0.0.2", port(node, "127.0.0.2:0"))) {
                    assertThat(staysOpen(other)).as("the dry-run session gave its place in \"all\" back").isTrue();
                }
            }
            assertThat(counts(node, "all").path("passed").asLong()).isEqualTo(3);
        }
    }

    private static int port(InJvmNode node, String listen) {
        return ((InetSocketAddress) node.node.streamAddresses().get(listen)).getPort();
    }

    @Test
    void aNewKeyThatDoesNotFitInTheZoneIsRefusedUntilRoomComesBack() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
                InJvmNode node = InJvmNode.start(dir, """
                        events { }
                        stream {
                            limit_conn_zone %s zone=tcp:32k;
                            server { listen 127.0.0.1:0; limit_conn tcp 1; proxy_pass 127.0.0.1:%d; }
                        }
                        http {
                            access_log off;
                            server { listen 127.0.0.1:0; location /api { api; } }
                        }
                        """.formatted(KEY, silent.getLocalPort()));
                LogCapture log = new LogCapture()) {
            int port = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.1:0")).getPort();
            for (int i = 0; i < 56; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> counts(node).path("passed").asLong() == 56);
            try (Socket refused = new Socket("127.0.0.1", port)) {
                refused.setSoTimeout(10_000);
                assertThat(refused.getInputStream().read()).as("the zone is full: closed").isEqualTo(-1);
            }
            assertThat(counts(node).toString()).isEqualTo("{\"passed\":56,\"rejected\":1,\"rejected_dry_run\":0}");
            assertThat(log.contains("could not allocate node in limit_conn_zone \"tcp\"")).isTrue();

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Socket next = new Socket("127.0.0.1", port);
                next.setSoTimeout(300);
                try {
                    next.getInputStream().read();
                    next.close();
                    throw new AssertionError("closed: the zone is still full");
                } catch (SocketTimeoutException stillOpen) {
                    held.add(next);
                }
            });
            assertThat(counts(node).path("passed").asLong()).as("room came back for a new key").isEqualTo(57);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
