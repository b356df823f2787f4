package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxy_cache_lock against a backend that holds its answers until the test lets them go and counts
 * the requests it gets: concurrent requests for one uncached key reach it once and the waiters are
 * answered from the cache (HIT); after proxy_cache_lock_timeout a waiter goes upstream itself and
 * its answer is not stored.
 */
class ProxyCacheLockIT {
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer backend;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startBackend() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.createContext("/", x -> {
            int n = requests.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("fetched " + n).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        release.countDown();
        backend.stop(0);
    }

    private String config(Path dir) {
        return """
                events { }
                http {
                    access_log off;
                    proxy_cache_path %s keys_zone=c:1m;
                    server {
                        listen 127.0.0.1:0;
                        add_header X-Cache-Status $upstream_cache_status;
                        proxy_cache c;
                        proxy_cache_valid 1h;
                        proxy_read_timeout 30s;
                        location / { proxy_cache_lock on; proxy_pass http://127.0.0.1:%d; }
                        location /short/ {
                            proxy_cache_lock on; proxy_cache_lock_timeout 300ms; proxy_pass http://127.0.0.1:%2$d;
                        }
                    }
                }
                """.formatted(dir.resolve("cache"), backend.getAddress().getPort());
    }

    private CompletableFuture<HttpResponse<String>> get(InJvmNode node, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void concurrentRequestsForOneKeyReachTheUpstreamOnce(@TempDir Path dir) throws Exception {
        try (InJvmNode node = InJvmNode.start(dir.resolve("node"), config(dir))) {
            CompletableFuture<HttpResponse<String>> first = get(node, "/a");
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
            List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(get(node, "/a"));
            }
            // without the lock they would reach the backend within this time
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> requests.get() == 1);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).headers().firstValue("X-Cache-Status")).hasValue("MISS");
            for (CompletableFuture<HttpResponse<String>> w : waiters) {
                HttpResponse<String> r = w.get(10, TimeUnit.SECONDS);
                assertThat(r.body()).isEqualTo("fetched 1");
                assertThat(r.headers().firstValue("X-Cache-Status")).hasValue("HIT");
            }
            assertThat(requests.get()).isEqualTo(1);
        }
    }

    @Test
    void afterTheLockTimeoutAWaiterGoesUpstreamAndDoesNotStore(@TempDir Path dir) throws Exception {
        try (InJvmNode node = InJvmNode.start(dir.resolve("node"), config(dir))) {
            CompletableFuture<HttpResponse<String>> first = get(node, "/short/a");
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
            CompletableFuture<HttpResponse<String>> waiter = get(node, "/short/a");
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 2);
            release.countDown();
            HttpResponse<String> w = waiter.get(10, TimeUnit.SECONDS);
            assertThat(w.headers().firstValue("X-Cache-Status")).hasValue("MISS");
            assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("fetched 1");
            assertThat(w.body()).isEqualTo("fetched 2");
            // the entry is the lock holder's, whichever answer finished last
            HttpResponse<String> hit = node.http().get("/short/a");
            assertThat(hit.headers().firstValue("X-Cache-Status")).hasValue("HIT");
            assertThat(hit.body()).isEqualTo("fetched 1");
        }
    }
}
