package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.http.core.RawClient;
import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * proxy_cache_lock against Debian's nginx, both in front of one backend that holds each path's
 * answers until the test opens its gate and counts the requests per path: the statuses
 * ({@code $upstream_cache_status}) and bodies of a lock's holder and its waiters, and of a waiter
 * whose proxy_cache_lock_timeout passes.
 */
class ProxyCacheLockDifferentialIT extends DifferentialSuite {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private HttpServer backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try {
                gates.computeIfAbsent(path, p -> new CountDownLatch(1)).await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("backend " + path).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        backend.start();
        return Differential.start(dir, """
                access_log off;
                proxy_cache_path cache keys_zone=one:1m;
                server {
                    listen LISTEN;
                    proxy_cache one;
                    proxy_cache_valid 1m;
                    proxy_cache_lock on;
                    add_header X-Cache-Status $upstream_cache_status always;
                    location / { proxy_pass http://127.0.0.1:%1$d; }
                    location /short/ { proxy_cache_lock_timeout 300ms; proxy_pass http://127.0.0.1:%1$d; }
                }
                """.formatted(backend.getAddress().getPort()));
    }

    @AfterAll
    void stopBackend() {
        gates.values().forEach(CountDownLatch::countDown);
        if (backend != null) {
            backend.stop(0);
        }
    }

    private int count(String path) {
        return counts.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private List<RawClient> hold(String path) throws Exception {
        return servers.sendAndHold("GET " + path + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n");
    }

    /** Reads both answers of a held pair; says "status cache-status body" for each, zonesync's first. */
    private static List<String> read(List<RawClient> pair) throws Exception {
        List<String> out = new ArrayList<>();
        for (RawClient c : pair) {
            RawClient.Response r = c.read();
            out.add(r.status() + " " + r.header("x-cache-status") + " " + r.body());
            c.close();
        }
        return out;
    }

    @Test
    void waitersAreAnsweredFromTheHoldersEntry() throws Exception {
        List<RawClient> first = hold("/lock/a");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/lock/a") == 2);
        List<List<RawClient>> waiters = List.of(hold("/lock/a"), hold("/lock/a"));
        // without the lock the waiters would reach the backend within this time
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> count("/lock/a") == 2);
        gates.computeIfAbsent("/lock/a", p -> new CountDownLatch(1)).countDown();
        assertThat(read(first)).containsExactly("200 MISS backend /lock/a", "200 MISS backend /lock/a");
        for (List<RawClient> w : waiters) {
            assertThat(read(w)).containsExactly("200 HIT backend /lock/a", "200 HIT backend /lock/a");
        }
        assertThat(count("/lock/a")).isEqualTo(2);
    }

    @Test
    void aWaiterGoesUpstreamAfterTheLockTimeout() throws Exception {
        List<RawClient> first = hold("/short/a");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/short/a") == 2);
        List<RawClient> waiter = hold("/short/a");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/short/a") == 4);
        gates.computeIfAbsent("/short/a", p -> new CountDownLatch(1)).countDown();
        List<String> w = read(waiter);
        assertThat(w.get(0)).isEqualTo(w.get(1));
        assertThat(w.get(0)).isEqualTo("200 MISS backend /short/a");
        assertThat(read(first)).containsExactly("200 MISS backend /short/a", "200 MISS backend /short/a");
        assertSameAnswers(servers.get("/short/a"), "after the holder stored");
        assertThat(servers.get("/short/a").zonesync().headers()).containsEntry("x-cache-status", "HIT");
    }
}
