package io.zonesync.stream.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.stream.EchoServer;
import io.zonesync.stream.StreamClient;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream proxy end to end: a node in front of real TCP echo backends. */
class StreamProxyIT {
    @TempDir
    Path dir;

    private static int port(InJvmNode node) {
        return ((InetSocketAddress) node.node.streamAddresses().values().iterator().next()).getPort();
    }

    private static String config(String stream) {
        return "events { }\nstream {\n" + stream + "\n}\n";
    }

    @Test
    void relaysBothWaysToAnUpstreamGroupInRoundRobin() throws Exception {
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:");
                InJvmNode node = InJvmNode.start(dir, config("""
                        upstream backend { server %s; server %s; }
                        server { listen 127.0.0.1:0; proxy_pass backend; }
                        """.formatted(a.address(), b.address())))) {
            String first = StreamClient.exchange(port(node), "hello", 7);
            String second = StreamClient.exchange(port(node), "hello", 7);
            assertThat(first + second).contains("A:hello", "B:hello");
        }
    }

    @Test
    void nextUpstreamSkipsARefusingServer() throws Exception {
        try (HeldPort down = new HeldPort(); EchoServer up = new EchoServer("UP:");
                InJvmNode node = InJvmNode.start(dir, config("""
                        upstream backend { server 127.0.0.1:%d; server %s; }
                        server { listen 127.0.0.1:0; proxy_pass backend; }
                        """.formatted(down.port(), up.address())))) {
            for (int i = 0; i < 3; i++) {
                assertThat(StreamClient.exchange(port(node), "x", 4)).isEqualTo("UP:x");
            }
        }
    }

    @Test
    void withoutNextUpstreamARefusedConnectionClosesTheClient() throws Exception {
        try (HeldPort down = new HeldPort(); InJvmNode node = InJvmNode.start(dir, config("""
                server { listen 127.0.0.1:0; proxy_pass 127.0.0.1:%d; proxy_next_upstream off; }
                """.formatted(down.port())))) {
            assertThat(StreamClient.exchange(port(node), "x", 10)).isEmpty();
        }
    }

    @Test
    void sendsAProxyProtocolHeaderUpstream() throws Exception {
        try (EchoServer up = new EchoServer("");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0; proxy_pass %s; proxy_protocol on; proxy_timeout 500ms; }
                        """.formatted(up.address())))) {
            int port = port(node);
            String echoed = StreamClient.exchange(port, "data", 100);
            assertThat(echoed).matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ " + port + "\r\ndata");
        }
    }

    @Test
    void readsAProxyProtocolHeaderFromTheClient() throws Exception {
        try (EchoServer up = new EchoServer("");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0 proxy_protocol; proxy_pass %s; }
                        """.formatted(up.address())))) {
            String echoed = StreamClient.exchange(port(node), "PROXY TCP4 192.0.2.1 192.0.2.2 1234 80\r\ndata", 4);
            assertThat(echoed).isEqualTo("data");
        }
    }

    @Test
    void halfCloseIsPassedOnWhenAsked() throws Exception {
        try (EchoServer up = new EchoServer("U:");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0; proxy_pass %s; proxy_half_close on; }
                        """.formatted(up.address())))) {
            assertThat(StreamClient.untilClosed(port(node), "bye", true)).isEqualTo("U:bye");
        }
    }

    @Test
    void aVariableNamingAHostIsLookedUpThroughTheResolverAtRunTime() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); EchoServer up = new EchoServer("R:")) {
            dns.records("backend.test", 60, "127.0.0.1");
            String resolver = dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort();
            try (InJvmNode node = InJvmNode.start(dir, config("""
                    resolver %s;
                    map $server_port $target { default backend.test:%d; }
                    map $server_port $missing { default missing.test:%d; }
                    server { listen 127.0.0.1:0; proxy_pass $target; }
                    server { listen 127.0.0.2:0; proxy_pass $missing; }
                    """.formatted(resolver, up.port(), up.port())))) {
                int found = 0;
                int missing = 0;
                for (var e : node.node.streamAddresses().values()) {
                    InetSocketAddress a = (InetSocketAddress) e;
                    if (a.getAddress().getHostAddress().equals("127.0.0.1")) {
                        found = a.getPort();
                    } else {
                        missing = a.getPort();
                    }
                }
                assertThat(StreamClient.exchange(found, "dns", 5)).isEqualTo("R:dns");
                // the answer is kept for its TTL: a second session asks nothing more
                int asked = dns.questions().size();
                assertThat(StreamClient.exchange(found, "again", 7)).isEqualTo("R:again");
                assertThat(dns.questions()).hasSize(asked);
                // a name DNS does not know: the session ends (502)
                assertThat(StreamClient.exchange("127.0.0.2", missing, "x", 10)).isEmpty();
            }
        }
    }

    @Test
    void withoutAResolverAVariableNamingAHostEndsTheSession() throws Exception {
        try (EchoServer up = new EchoServer("R:"); InJvmNode node = InJvmNode.start(dir, config("""
                map $server_port $target { default localhost:%d; }
                server { listen 127.0.0.1:0; proxy_pass $target; }
                """.formatted(up.port())))) {
            assertThat(StreamClient.exchange(port(node), "x", 10)).isEmpty();
            assertThat(up.accepted()).isZero();
        }
    }

    @Test
    void relaysMoreThanTheBuffersHold() throws Exception {
        try (EchoServer up = new EchoServer("");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0; proxy_pass %s; proxy_buffer_size 1k; }
                        """.formatted(up.address())))) {
            String big = "0123456789abcdef".repeat(64 * 1024);
            assertThat(StreamClient.exchange(port(node), big, big.length())).isEqualTo(big);
        }
    }

    @Test
    void downloadRateSpreadsTheBytesOverTime() throws Exception {
        try (EchoServer up = new EchoServer("");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0; proxy_pass %s; proxy_download_rate 20k; proxy_buffer_size 4k; }
                        """.formatted(up.address())))) {
            String data = "r".repeat(50 * 1024);
            long start = System.nanoTime();
            assertThat(StreamClient.exchange(port(node), data, data.length())).hasSize(data.length());
            // 20k in the first second, 20k more in the next: the last 10k cannot come before 2 s
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1900);
        }
    }

    @Test
    void hashKeepsAClientOnOneServer() throws Exception {
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:");
                InJvmNode node = InJvmNode.start(dir, config("""
                        upstream backend { hash $remote_addr consistent; server %s; server %s; }
                        server { listen 127.0.0.1:0; proxy_pass backend; }
                        """.formatted(a.address(), b.address())))) {
            String first = StreamClient.exchange(port(node), "h", 3);
            for (int i = 0; i < 4; i++) {
                assertThat(StreamClient.exchange(port(node), "h", 3)).isEqualTo(first);
            }
        }
    }

    @Test
    void aReloadKeepsTheListenerAndServesTheNewTarget() throws Exception {
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:");
                InJvmNode node = InJvmNode.start(dir, config("""
                        server { listen 127.0.0.1:0; proxy_pass %s; }
                        """.formatted(a.address())))) {
            int port = port(node);
            assertThat(StreamClient.exchange(port, "1", 3)).isEqualTo("A:1");
            node.reload(config("""
                    server { listen 127.0.0.1:0; proxy_pass %s; }
                    """.formatted(b.address())));
            assertThat(port(node)).isEqualTo(port);
            assertThat(StreamClient.exchange(port, "2", 3)).isEqualTo("B:2");
        }
    }
}
