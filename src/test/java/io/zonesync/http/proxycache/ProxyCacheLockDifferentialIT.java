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
 * proxy_cache_lock, proxy_cache_use_stale updating and proxy_cache_background_update against
 * Debian's nginx, both in front of one backend that counts the requests per path and holds those
 * with {@code ?hold} until the test opens the path's gate (/fail... answers 500): the statuses
 * ({@code $upstream_cache_status}) and bodies of a lock's holder and its waiters, of a waiter whose
 * proxy_cache_lock_timeout passes, and of requests while an expired entry is being refreshed
 * (as proxy_cache_use_stale updating or the entry's own stale-while-revalidate allow).
 * Expiry is watched through a location that shares the key but whose answer is not cached.
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
                if ("hold".equals(x.getRequestURI().getQuery())) {
                    gates.computeIfAbsent(path, p -> new CountDownLatch(1)).await(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("backend " + path).getBytes(StandardCharsets.UTF_8);
            if (path.startsWith("/swr")) {
                x.getResponseHeaders().set("Cache-Control", "max-age=1, stale-while-revalidate=60");
            }
            x.sendResponseHeaders(path.startsWith("/fail") ? 500 : 200, body.length);
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
                    location /age/ { proxy_cache_lock_age 300ms; proxy_pass http://127.0.0.1:%1$d; }
                    location /upd/ {
                        proxy_cache_key $uri; proxy_cache_valid 1s; proxy_cache_use_stale updating;
                        proxy_pass http://127.0.0.1:%1$d;
                    }
                    location /noupd/ { proxy_cache_key $uri; proxy_cache_valid 1s; proxy_pass http://127.0.0.1:%1$d; }
                    location /bg/ {
                        proxy_cache_key $uri; proxy_cache_valid 1s; proxy_cache_use_stale updating;
                        proxy_cache_background_update on; proxy_pass http://127.0.0.1:%1$d;
                    }
                    location /swr/ { proxy_cache_key $uri; proxy_pass http://127.0.0.1:%1$d; }
                    location /probe/ {
                        proxy_cache_key /$arg_k/a; proxy_cache_valid 1s; proxy_pass http://127.0.0.1:%1$d/fail;
                    }
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
        List<RawClient> first = hold("/lock/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/lock/a") == 2);
        List<List<RawClient>> waiters = List.of(hold("/lock/a?hold"), hold("/lock/a?hold"));
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
        List<RawClient> first = hold("/short/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/short/a") == 2);
        List<RawClient> waiter = hold("/short/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/short/a") == 4);
        gates.computeIfAbsent("/short/a", p -> new CountDownLatch(1)).countDown();
        List<String> w = read(waiter);
        assertThat(w.get(0)).isEqualTo(w.get(1));
        assertThat(w.get(0)).isEqualTo("200 MISS backend /short/a");
        assertThat(read(first)).containsExactly("200 MISS backend /short/a", "200 MISS backend /short/a");
        assertSameAnswers(servers.get("/short/a?hold"), "after the holder stored");
        assertThat(servers.get("/short/a?hold").zonesync().headers()).containsEntry("x-cache-status", "HIT");
    }

    @Test
    void aWaiterTakesOverALockOlderThanTheLockAge() throws Exception {
        List<RawClient> first = hold("/age/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/age/a") == 2);
        List<RawClient> waiter = hold("/age/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/age/a") == 4);
        gates.computeIfAbsent("/age/a", p -> new CountDownLatch(1)).countDown();
        assertThat(read(waiter)).containsExactly("200 MISS backend /age/a", "200 MISS backend /age/a");
        assertThat(read(first)).containsExactly("200 MISS backend /age/a", "200 MISS backend /age/a");
        Differential.Pair after = servers.get("/age/a?hold");
        assertSameAnswers(after, "after both stored");
        assertThat(status(after.zonesync())).isEqualTo("HIT");
    }

    private static String status(Differential.Answer a) {
        return a.headers().get("x-cache-status");
    }

    /** Stores /NAME/a, then waits until both servers have it expired. */
    private void storedThenExpired(String name) throws Exception {
        Differential.Pair stored = servers.get("/" + name + "/a");
        assertSameAnswers(stored, "store " + name);
        assertThat(status(stored.zonesync())).isEqualTo("MISS");
        List<Boolean> seen = new ArrayList<>(List.of(false, false));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Differential.Pair p = servers.get("/probe/?k=" + name);
            seen.set(0, seen.get(0) || "EXPIRED".equals(status(p.zonesync())));
            seen.set(1, seen.get(1) || "EXPIRED".equals(status(p.nginx())));
            return seen.get(0) && seen.get(1);
        });
    }

    @Test
    void othersGetTheStaleEntryWhileOneRequestRefreshesIt() throws Exception {
        storedThenExpired("upd");
        int before = count("/upd/a");
        List<RawClient> refresh = hold("/upd/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/upd/a") == before + 2);
        Differential.Pair meanwhile = servers.get("/upd/a");
        assertSameAnswers(meanwhile, "while updating");
        assertThat(status(meanwhile.zonesync())).isEqualTo("UPDATING");
        gates.computeIfAbsent("/upd/a", p -> new CountDownLatch(1)).countDown();
        assertThat(read(refresh)).containsExactly("200 EXPIRED backend /upd/a", "200 EXPIRED backend /upd/a");
        Differential.Pair after = servers.get("/upd/a");
        assertSameAnswers(after, "after the refresh");
        assertThat(status(after.zonesync())).isEqualTo("HIT");
    }

    @Test
    void staleWhileRevalidateActsAsUpdating() throws Exception {
        storedThenExpired("swr");
        int before = count("/swr/a");
        List<RawClient> refresh = hold("/swr/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/swr/a") == before + 2);
        Differential.Pair meanwhile = servers.get("/swr/a");
        assertSameAnswers(meanwhile, "while updating");
        assertThat(status(meanwhile.zonesync())).isEqualTo("UPDATING");
        gates.computeIfAbsent("/swr/a", p -> new CountDownLatch(1)).countDown();
        assertThat(read(refresh)).containsExactly("200 EXPIRED backend /swr/a", "200 EXPIRED backend /swr/a");
    }

    @Test
    void withoutUpdatingOthersGoUpstreamToo() throws Exception {
        storedThenExpired("noupd");
        int before = count("/noupd/a");
        List<RawClient> refresh = hold("/noupd/a?hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/noupd/a") == before + 2);
        Differential.Pair meanwhile = servers.get("/noupd/a");
        assertSameAnswers(meanwhile, "while another refreshes");
        assertThat(status(meanwhile.zonesync())).isEqualTo("EXPIRED");
        gates.computeIfAbsent("/noupd/a", p -> new CountDownLatch(1)).countDown();
        assertThat(read(refresh)).containsExactly("200 EXPIRED backend /noupd/a", "200 EXPIRED backend /noupd/a");
    }

    @Test
    void aBackgroundUpdateAnswersStaleAndRefreshesInASubrequest() throws Exception {
        storedThenExpired("bg");
        int before = count("/bg/a");
        Differential.Pair stale = servers.get("/bg/a?hold");
        assertSameAnswers(stale, "the refreshing request");
        assertThat(status(stale.zonesync())).isEqualTo("STALE");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("/bg/a") == before + 2);
        Differential.Pair meanwhile = servers.get("/bg/a");
        assertSameAnswers(meanwhile, "while the subrequest refreshes");
        assertThat(status(meanwhile.zonesync())).isEqualTo("UPDATING");
        gates.computeIfAbsent("/bg/a", p -> new CountDownLatch(1)).countDown();
        List<Boolean> hit = new ArrayList<>(List.of(false, false));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Differential.Pair p = servers.get("/bg/a");
            hit.set(0, hit.get(0) || "HIT".equals(status(p.zonesync())));
            hit.set(1, hit.get(1) || "HIT".equals(status(p.nginx())));
            return hit.get(0) && hit.get(1);
        });
        assertThat(count("/bg/a")).isEqualTo(before + 2);
    }
}
