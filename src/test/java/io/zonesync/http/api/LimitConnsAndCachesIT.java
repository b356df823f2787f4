package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonesync.testing.HeldBackend;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/9/http/limit_conns}, {@code /api/9/stream/limit_conns} and {@code /api/9/http/caches}
 * through a real node: real requests and connections move them, the metrics page shows the same
 * figures, and every answer matches the API's OpenAPI document.
 */
class LimitConnsAndCachesIT {
    private static final String BODY = "0123456789";

    @TempDir
    Path dir;
    private final HeldBackend backend = new HeldBackend(BODY);
    private InJvmNode node;
    /** Every X-Cache-Status the cache test saw. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        backend.release();
        if (node != null) {
            node.close();
        }
        backend.close();
    }

    private String upstream() {
        return backend.address();
    }

    /** Requests {@code path} and returns its X-Cache-Status, which it also keeps in {@link #seen}. */
    private String status(Http http, String path) {
        String s = http.get(path).headers().firstValue("X-Cache-Status").orElse("");
        seen.add(s);
        return s;
    }

    private static long metric(Http http, String series) {
        return http.get("/metrics").body().lines().filter(l -> l.startsWith(series + " "))
                .map(l -> (long) Double.parseDouble(l.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series));
    }

    @Test
    void aSecondConcurrentConnectionIsRejectedAndCounted() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            String config = """
                    events { }
                    stream {
                        limit_conn_zone $remote_addr zone=tcp:1m;
                        server { listen 127.0.0.3:0; limit_conn tcp 1; proxy_pass 127.0.0.1:%d; }
                    }
                    http {
                        access_log off;
                        limit_conn_zone $remote_addr zone=perip:1m;
                        server {
                            listen 127.0.0.1:0;
                            location /api { api write=on; }
                            location /metrics { metrics; }
                        }
                        server {
                            listen 127.0.0.2:0;
                            location / { limit_conn perip 1; proxy_pass http://%s; }
                        }
                    }
                    """.formatted(silent.getLocalPort(), upstream());
            node = InJvmNode.start(dir.resolve("node"), config);
            Http admin = node.http();
            Http front = new Http("127.0.0.2", node.httpPort("127.0.0.2:0"));
            assertThat(ApiSpec.getJson(admin, "/9/http/").toString()).contains("\"limit_conns\"");
            assertThat(ApiSpec.getJson(admin, "/9/stream/").toString()).contains("\"limit_conns\"");

            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> front.get("/slow"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ApiSpec.getJson(admin, "/9/http/limit_conns/perip")
                    .get("passed").asLong() == 1);
            assertThat(front.get("/other").statusCode()).isEqualTo(503);
            JsonNode perip = ApiSpec.getJson(admin, "/9/http/limit_conns/perip");
            assertThat(perip.toString()).isEqualTo("{\"passed\":1,\"rejected\":1,\"rejected_dry_run\":0}");
            assertThat(metric(admin, "nginxplus_limit_connection_rejected{zone=\"perip\"}")).isEqualTo(1);
            assertThat(metric(admin, "nginxplus_limit_connection_passed{zone=\"perip\"}")).isEqualTo(1);
            // another node in the same JVM with the same zone has places and counts of its own
            try (InJvmNode other = InJvmNode.start(dir.resolve("other"), config)) {
                Http otherFront = new Http("127.0.0.2", other.httpPort("127.0.0.2:0"));
                assertThat(otherFront.get("/other").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> ApiSpec.getJson(other.http(), "/9/http/limit_conns/perip")
                        .get("passed").asLong() == 1);
                assertThat(ApiSpec.getJson(other.http(), "/9/http/limit_conns/perip").get("rejected").asLong()).isZero();
            }
            assertThat(ApiSpec.getJson(admin, "/9/http/limit_conns/perip").get("passed").asLong()).isEqualTo(1);
            backend.release();
            assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(front.get("/after").statusCode()).as("the place was given back").isEqualTo(200);
            assertThat(ApiSpec.getJson(admin, "/9/http/limit_conns/").get("perip").get("passed").asLong()).isEqualTo(2);
            assertThat(ApiSpec.send(admin, "DELETE", "/api/9/http/limit_conns/perip", null).statusCode()).isEqualTo(204);
            assertThat(metric(admin, "nginxplus_limit_connection_passed{zone=\"perip\"}")).isZero();

            int port = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.3:0")).getPort();
            try (Socket first = new Socket("127.0.0.3", port); Socket accepted = silent.accept()) {
                try (Socket second = new Socket("127.0.0.3", port)) {
                    assertThat(second.getInputStream().read()).as("over the limit: closed").isEqualTo(-1);
                }
                JsonNode tcp = ApiSpec.getJson(admin, "/9/stream/limit_conns/tcp");
                assertThat(tcp.toString()).isEqualTo("{\"passed\":1,\"rejected\":1,\"rejected_dry_run\":0}");
                assertThat(metric(admin, "nginxplus_stream_limit_connection_rejected{zone=\"tcp\"}")).isEqualTo(1);
            }
            assertThat(ApiSpec.send(admin, "GET", "/api/9/stream/limit_conns/perip", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void missThenHitThenBypassAndExpiredAreCountedPerCache() throws Exception {
        node = InJvmNode.start(dir, """
                events { }
                http {
                    access_log off;
                    proxy_cache_path %s levels=1:2 keys_zone=c:1m max_size=10m;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location /metrics { metrics; }
                        location / {
                            add_header X-Cache-Status $upstream_cache_status;
                            proxy_cache c;
                            proxy_cache_valid 200 1h;
                            proxy_cache_bypass $arg_nocache;
                            proxy_pass http://%s;
                        }
                        location /short/ {
                            add_header X-Cache-Status $upstream_cache_status;
                            proxy_cache c;
                            proxy_cache_valid 200 1s;
                            proxy_pass http://%s;
                        }
                    }
                }
                """.formatted(dir.resolve("cache"), upstream(), upstream()));
        Http http = node.http();
        assertThat(ApiSpec.getJson(http, "/9/http/").toString()).contains("\"caches\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ApiSpec.getJson(http, "/9/http/caches/c").get("cold").asBoolean());

        assertThat(status(http, "/a")).isEqualTo("MISS");
        await().atMost(Duration.ofSeconds(10)).until(() -> ApiSpec.getJson(http, "/9/http/caches/c").get("miss")
                .get("responses_written").asLong() == 1);
        assertThat(status(http, "/a")).isEqualTo("HIT");
        assertThat(status(http, "/a?nocache=1")).isEqualTo("BYPASS");
        assertThat(status(http, "/short/b")).isEqualTo("MISS");
        // HITs until the second entry's second is over, then EXPIRED
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> "EXPIRED".equals(status(http, "/short/b")));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode c = ApiSpec.getJson(http, "/9/http/caches/c");
            long hits = seen.stream().filter("HIT"::equals).count();
            assertThat(hits).isGreaterThanOrEqualTo(1);
            assertThat(c.get("hit").toString()).isEqualTo("{\"responses\":" + hits + ",\"bytes\":" + 10 * hits + "}");
            assertThat(c.get("miss").toString())
                    .isEqualTo("{\"responses\":2,\"bytes\":20,\"responses_written\":2,\"bytes_written\":20}");
            assertThat(c.get("expired").toString())
                    .isEqualTo("{\"responses\":1,\"bytes\":10,\"responses_written\":1,\"bytes_written\":10}");
            assertThat(c.get("bypass").toString())
                    .isEqualTo("{\"responses\":1,\"bytes\":10,\"responses_written\":1,\"bytes_written\":10}");
            assertThat(c.get("stale").get("responses").asLong()).isZero();
            assertThat(c.get("size").asLong()).as("/a, /a?nocache=1 (BYPASS stores) and /short/b").isEqualTo(30);
            assertThat(c.get("max_size").asLong()).isEqualTo(10 << 20);
        });
        long hits = seen.stream().filter("HIT"::equals).count();
        assertThat(metric(http, "nginxplus_cache_hit_responses{zone=\"c\"}")).isEqualTo(hits);
        assertThat(metric(http, "nginxplus_cache_miss_bytes{zone=\"c\"}")).isEqualTo(20);
        assertThat(metric(http, "nginxplus_cache_bypass_responses_written{zone=\"c\"}")).isEqualTo(1);
        assertThat(metric(http, "nginxplus_cache_size{zone=\"c\"}")).isEqualTo(30);
        assertThat(metric(http, "nginxplus_cache_cold{zone=\"c\"}")).isZero();

        assertThat(ApiSpec.send(http, "DELETE", "/api/9/http/caches/c", null).statusCode()).isEqualTo(204);
        JsonNode reset = ApiSpec.getJson(http, "/9/http/caches/c");
        assertThat(reset.get("hit").get("responses").asLong()).isZero();
        assertThat(reset.get("size").asLong()).as("the cache itself is kept").isEqualTo(30);
        assertThat(status(http, "/a")).isEqualTo("HIT");
        assertThat(ApiSpec.send(http, "GET", "/api/9/http/caches/nope", null).statusCode()).isEqualTo(404);
    }
}
