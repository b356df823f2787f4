package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_cache_use_stale updating} with {@code proxy_cache_background_update on}, counted as
 * NGINX Plus counts it: the client that finds the entry expired is answered from the cache and
 * counted as {@code stale} (responses and bytes read from the cache); the background subrequest
 * that refreshes the entry fetched an expired response from upstream and wrote it, so it is counted
 * as {@code expired} (responses and bytes read from the proxied server, responses_written and
 * bytes_written); clients that come while it runs get {@code updating}. The subrequest is nobody's
 * request: the server's status zone and the access log (nginx does not log subrequests unless
 * {@code log_subrequest on}) count the clients' requests alone.
 */
class CacheBackgroundUpdateCountsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "0123456789";

    @TempDir
    Path dir;

    @Test
    void theClientIsStaleAndTheBackgroundRefreshIsExpiredAndWritten() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.createContext("/", ex -> {
            fetched.incrementAndGet();
            byte[] b = BODY.getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        backend.start();
        Path log = dir.resolve("node/logs/front.log");
        try (InJvmNode node = InJvmNode.start(dir.resolve("node"), """
                events { }
                http {
                    access_log off;
                    log_format st "$uri $upstream_cache_status $status";
                    proxy_cache_path %s keys_zone=c:1m;
                    server { listen 127.0.0.1:0; location /api { api; } }
                    server {
                        listen 127.0.0.2:0;
                        status_zone front;
                        access_log %s st;
                        location / {
                            add_header X-Cache-Status $upstream_cache_status;
                            proxy_cache c;
                            proxy_cache_valid 200 1s;
                            proxy_cache_use_stale updating;
                            proxy_cache_background_update on;
                            proxy_pass http://127.0.0.1:%d;
                        }
                    }
                }
                """.formatted(dir.resolve("cache"), log, backend.getAddress().getPort()))) {
            Http api = node.http();
            Http front = new Http("127.0.0.2", node.httpPort("127.0.0.2:0"));
            List<String> seen = new CopyOnWriteArrayList<>();
            assertThat(status(front, seen)).isEqualTo("MISS");
            await().atMost(Duration.ofSeconds(10)).until(() -> cache(api).path("miss").path("responses_written")
                    .asLong() == 1);
            // HITs until the entry's second is over; the first request after it is answered STALE
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "STALE".equals(status(front, seen)));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache(api).path("expired").path("responses_written")
                    .asLong() == 1);

            assertThat(fetched.get()).as("the first fill and the background refresh").isEqualTo(2);
            JsonNode c = cache(api);
            assertThat(c.get("stale").toString()).as("the client's answer, from the cache")
                    .isEqualTo("{\"responses\":1,\"bytes\":10}");
            assertThat(c.get("expired").toString()).as("the background refresh, from upstream, written")
                    .isEqualTo("{\"responses\":1,\"bytes\":10,\"responses_written\":1,\"bytes_written\":10}");
            assertThat(c.get("miss").toString())
                    .isEqualTo("{\"responses\":1,\"bytes\":10,\"responses_written\":1,\"bytes_written\":10}");
            long hits = seen.stream().filter("HIT"::equals).count();
            assertThat(c.get("hit").get("responses").asLong()).isEqualTo(hits);
            assertThat(c.get("updating").get("responses").asLong()).isZero();

            JsonNode zone = JSON.readTree(api.get("/api/9/http/server_zones/front").body());
            assertThat(zone.get("requests").asLong()).as("the clients' requests, not the subrequest")
                    .isEqualTo(seen.size());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(log))
                    .as("one line per client request, none for the subrequest").hasSize(seen.size())
                    .doesNotContain("/b EXPIRED 200"));
        } finally {
            backend.stop(0);
        }
    }

    private static String status(Http front, List<String> seen) {
        String s = front.get("/b").headers().firstValue("X-Cache-Status").orElse("");
        seen.add(s);
        return s;
    }

    private static JsonNode cache(Http api) throws Exception {
        return JSON.readTree(api.get("/api/9/http/caches/c").body());
    }
}
