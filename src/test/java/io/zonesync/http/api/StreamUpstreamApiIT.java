package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.stream.EchoServer;
import io.zonesync.stream.StreamClient;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/N/stream/upstreams} of a running node: the counters real proxied connections leave,
 * and servers added and taken down through the API steering the next connections; every answer
 * checked against the API's OpenAPI document.
 */
class StreamUpstreamApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static HttpResponse<String> checked(Http http, String method, String uri, String body) {
        HttpResponse<String> r = http.send(method, uri, body);
        Map<String, String> headers = r.headers().firstValue("content-type").map(t -> Map.of("Content-Type", t))
                .orElse(Map.of());
        ApiSpec.check(method, uri.replaceFirst("^/api", ""), new ApiResponse(r.statusCode(), headers,
                r.body().getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private static JsonNode get(Http http, String uri) throws Exception {
        return JSON.readTree(checked(http, "GET", uri, null).body());
    }

    private static int streamPort(InJvmNode node) {
        return ((InetSocketAddress) node.node.streamAddresses().values().iterator().next()).getPort();
    }

    @Test
    void proxiedConnectionsAreCountedAndApiChangesSteerTheNextOnes() throws Exception {
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:"); EchoServer c = new EchoServer("C:");
                InJvmNode node = InJvmNode.start(dir, """
                        events { }
                        stream {
                            upstream tcp { zone tcp 64k; server %s; server %s; }
                            upstream plain { server %s; }
                            server { listen 127.0.0.1:0; proxy_pass tcp; }
                        }
                        http {
                            access_log off;
                            server { listen 127.0.0.1:0; location /api { api write=on; } }
                        }
                        """.formatted(a.address(), b.address(), c.address()))) {
            Http http = node.http();
            int port = streamPort(node);
            assertThat(get(http, "/api/9/stream/upstreams").fieldNames()).toIterable().containsExactly("tcp");
            assertThat(StreamClient.exchange(port, "one", 5) + StreamClient.exchange(port, "two", 5))
                    .contains("A:one", "B:two");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode peers = get(http, "/api/9/stream/upstreams/tcp").get("peers");
                for (JsonNode p : peers) {
                    assertThat(p.get("connections").asLong()).isEqualTo(1);
                    assertThat(p.get("active").asInt()).isZero();
                    assertThat(p.get("sent").asLong()).isEqualTo(3);
                    assertThat(p.get("received").asLong()).isEqualTo(5);
                    assertThat(p.has("connect_time")).isTrue();
                    assertThat(p.has("first_byte_time")).isTrue();
                    assertThat(p.has("response_time")).isTrue();
                }
            });

            JsonNode added = JSON.readTree(checked(http, "POST", "/api/9/stream/upstreams/tcp/servers",
                    "{\"server\":\"" + c.address() + "\"}").body());
            assertThat(added.get("id").asInt()).isEqualTo(2);
            checked(http, "PATCH", "/api/9/stream/upstreams/tcp/servers/0", "{\"down\":true}");
            checked(http, "PATCH", "/api/9/stream/upstreams/tcp/servers/1", "{\"down\":true}");
            for (int i = 0; i < 3; i++) {
                assertThat(StreamClient.exchange(port, "x", 3)).isEqualTo("C:x");
            }
            assertThat(checked(http, "DELETE", "/api/9/stream/upstreams/tcp/servers/2", null).statusCode())
                    .isEqualTo(200);
            checked(http, "PATCH", "/api/9/stream/upstreams/tcp/servers/1", "{\"down\":false}");
            assertThat(StreamClient.exchange(port, "y", 3)).isEqualTo("B:y");
            assertThat(checked(http, "DELETE", "/api/9/stream/upstreams/tcp", null).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    get(http, "/api/9/stream/upstreams/tcp").get("peers").get(1).get("connections").asLong()).isZero());
            assertThat(checked(http, "GET", "/api/9/stream/upstreams/plain", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void streamResolveLinesAndNamesPostedThroughTheApiFollowDns() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); EchoServer a = new EchoServer("A:");
                EchoServer b = new EchoServer("B:")) {
            dns.records("a.test", 1, "127.0.0.1");
            String resolver = dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort();
            try (InJvmNode node = InJvmNode.start(dir, """
                    events { }
                    stream {
                        resolver %s valid=1s;
                        upstream tcp { zone tcp 64k; server a.test:%d resolve max_fails=0; }
                        server { listen 127.0.0.1:0; proxy_pass tcp; }
                    }
                    http {
                        access_log off;
                        server { listen 127.0.0.1:0; location /api { api write=on; } }
                    }
                    """.formatted(resolver, a.port()))) {
                Http http = node.http();
                int port = streamPort(node);
                await().atMost(Duration.ofSeconds(10)).until(() -> StreamClient.exchange(port, "1", 3).equals("A:1"));
                JsonNode servers = get(http, "/api/9/stream/upstreams/tcp/servers");
                assertThat(servers.get(0).get("server").asText()).isEqualTo(a.address());
                assertThat(servers.get(0).get("host").asText()).isEqualTo("a.test:" + a.port());
                String parentOfA = servers.get(0).get("parent").asText();
                assertThat(servers.get(1).get("id").asText()).isEqualTo(parentOfA);

                // a name posted through the API is followed as a resolve line; the first one leaves
                dns.records("b.test", 1, "127.0.0.1");
                JsonNode line = JSON.readTree(checked(http, "POST", "/api/9/stream/upstreams/tcp/servers",
                        "{\"server\":\"b.test:" + b.port() + "\"}").body());
                assertThat(checked(http, "DELETE", "/api/9/stream/upstreams/tcp/servers/" + parentOfA, null)
                        .statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode now = get(http, "/api/9/stream/upstreams/tcp/servers");
                    assertThat(now.get(0).get("server").asText()).isEqualTo(b.address());
                    assertThat(now.get(0).get("parent").asText()).isEqualTo(line.get("id").asText());
                });
                assertThat(StreamClient.exchange(port, "2", 3)).isEqualTo("B:2");
                JsonNode noPort = JSON.readTree(checked(http, "POST", "/api/9/stream/upstreams/tcp/servers",
                        "{\"server\":\"c.test\"}").body());
                assertThat(noPort.get("error").get("code").asText()).isEqualTo("UpstreamBadAddress");
            }
        }
    }
}
