package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.InJvmNode;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's disk work does not hold up the event loop: with one event loop, a cached body whose
 * file is a named pipe nobody writes to (a disk that does not answer) blocks the thread that opens
 * it, which must be one of the cache's disk threads, while another request on the same loop is
 * answered; once the pipe is written, the cached response completes with what it gave.
 */
class ProxyCacheDiskIT {
    private static final String BODY = "0123456789".repeat(100_000);
    private HttpServer backend;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startBackend() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", x -> {
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    private CompletableFuture<HttpResponse<String>> get(InJvmNode node, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void feed(Path pipe) {
        try (OutputStream out = Files.newOutputStream(pipe)) {
            out.write(BODY.getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The thread blocked opening a cached body, or null. */
    private static Thread openingTheCache() {
        for (var e : Thread.getAllStackTraces().entrySet()) {
            boolean opening = false;
            boolean cache = false;
            for (StackTraceElement f : e.getValue()) {
                opening |= f.getClassName().endsWith("UnixNativeDispatcher") && f.getMethodName().startsWith("open");
                cache |= f.getClassName().startsWith("io.zonesync.http.");
            }
            if (opening && cache) {
                return e.getKey();
            }
        }
        return null;
    }

    @Test
    void aCachedBodyIsReadOffTheEventLoop(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        try (InJvmNode node = InJvmNode.start(dir.resolve("node"), """
                worker_processes 1;
                events { }
                http {
                    access_log off;
                    proxy_cache_path %s keys_zone=c:1m;
                    server {
                        listen 127.0.0.1:0;
                        add_header X-Cache-Status $upstream_cache_status;
                        location /big { proxy_cache c; proxy_cache_key big; proxy_cache_valid 1h;
                                        proxy_pass http://127.0.0.1:%d; }
                        location /other { return 200 "answered"; }
                    }
                }
                """.formatted(cache, backend.getAddress().getPort()))) {
            HttpResponse<String> miss = get(node, "/big").get(20, TimeUnit.SECONDS);
            assertThat(miss.body()).isEqualTo(BODY);
            Path body = cache.resolve(CachePolicy.md5("big"));
            assertThat(body).exists();
            Files.delete(body);
            Process mkfifo = new ProcessBuilder("mkfifo", body.toString()).inheritIO().start();
            assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();

            CompletableFuture<HttpResponse<String>> hit = get(node, "/big");
            CompletableFuture<Void> fed = null;
            try {
                Thread opener = await().atMost(Duration.ofSeconds(10)).until(ProxyCacheDiskIT::openingTheCache,
                        t -> t != null);
                assertThat(opener.getName()).startsWith("zonesync-cache-io-");
                HttpResponse<String> other = get(node, "/other").get(10, TimeUnit.SECONDS);
                assertThat(other.body()).isEqualTo("answered");
                assertThat(hit).isNotDone();
            } finally {
                // the pipe is written whatever happened, so that a blocked thread goes on and the node can stop
                fed = CompletableFuture.runAsync(() -> feed(body));
            }
            fed.get(20, TimeUnit.SECONDS);
            HttpResponse<String> served = hit.get(20, TimeUnit.SECONDS);
            assertThat(served.headers().firstValue("X-Cache-Status")).hasValue("HIT");
            assertThat(served.body()).isEqualTo(BODY);
        }
    }
}
