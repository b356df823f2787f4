package io.zonesync.stream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.stream.EchoServer;
import io.zonesync.stream.StreamClient;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream modules around the proxy, end to end: return, set, map, keyval, allow/deny, limit_conn, access_log. */
class StreamModulesIT {
    @TempDir
    Path dir;

    private static int port(InJvmNode node, String listen) {
        return ((InetSocketAddress) node.node.streamAddresses().get(listen)).getPort();
    }

    @Test
    void returnSendsTheValueWithItsVariables() throws Exception {
        try (InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream {
                    server { listen 127.0.0.1:0; set $greeting hello; return "$greeting $remote_addr $protocol"; }
                }
                """)) {
            assertThat(StreamClient.untilClosed(port(node, "127.0.0.1:0"), "", false))
                    .isEqualTo("hello 127.0.0.1 TCP");
        }
    }

    @Test
    void aKeyvalDenylistRoutesThroughAMapToABlackhole() throws Exception {
        try (EchoServer backend = new EchoServer("B:"); InJvmNode node = InJvmNode.start(dir, """
                events { }
                http { server { listen 127.0.0.1:0; location /api { api write=on; } } }
                stream {
                    keyval_zone zone=denylist:1m;
                    keyval $remote_addr $deny zone=denylist;
                    map $deny $dest { "" backend; default blackhole; }
                    upstream backend { server %s; }
                    upstream blackhole { server 127.0.0.1:%d; }
                    server { listen 127.0.0.1:0; proxy_pass $dest; }
                    server { listen 127.0.0.2:0; return ""; }
                }
                """.formatted(backend.address(), 1))) {
            int port = port(node, "127.0.0.1:0");
            assertThat(StreamClient.exchange(port, "x", 3)).isEqualTo("B:x");
            assertThat(node.http().post("/api/9/stream/keyvals/denylist", "{\"127.0.0.1\":\"1\"}").statusCode())
                    .isEqualTo(201);
            assertThat(StreamClient.exchange(port, "x", 3)).isEmpty();
        }
    }

    @Test
    void denyClosesTheClientAndTheLogSaysSo() throws Exception {
        try (EchoServer backend = new EchoServer("B:"); InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream {
                    log_format basic "$remote_addr $protocol $status $bytes_sent $bytes_received $upstream_addr";
                    access_log logs/stream.log basic;
                    server { listen 127.0.0.1:0; deny 127.0.0.1; proxy_pass %1$s; }
                    server { listen 127.0.0.2:0; proxy_pass %1$s; }
                }
                """.formatted(backend.address()))) {
            assertThat(StreamClient.exchange(port(node, "127.0.0.1:0"), "x", 3)).isEmpty();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", port(node, "127.0.0.2:0")));
                s.setSoTimeout(10_000);
                s.getOutputStream().write("hey".getBytes());
                assertThat(StreamClient.read(s.getInputStream(), 5)).isEqualTo("B:hey");
            }
            Path log = dir.resolve("logs/stream.log");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.exists(log)
                    ? Files.readAllLines(log) : java.util.List.of()).containsExactly(
                            "127.0.0.1 TCP 403 0 0 -",
                            "127.0.0.1 TCP 200 5 3 " + backend.address()));
        }
    }

    @Test
    void limitConnClosesTheConnectionOverTheLimit() throws Exception {
        try (EchoServer backend = new EchoServer("B:"); InJvmNode node = InJvmNode.start(dir, """
                events { }
                stream {
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    server { listen 127.0.0.1:0; limit_conn addr 1; proxy_pass %s; }
                }
                """.formatted(backend.address()))) {
            int port = port(node, "127.0.0.1:0");
            try (Socket first = StreamClient.connect(port)) {
                first.getOutputStream().write("1".getBytes());
                assertThat(StreamClient.read(first.getInputStream(), 3)).isEqualTo("B:1");
                assertThat(StreamClient.exchange(port, "2", 3)).isEmpty();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(StreamClient.exchange(port, "3", 3)).isEqualTo("B:3"));
        }
    }
}
