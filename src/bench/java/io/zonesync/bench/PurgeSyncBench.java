package io.zonesync.bench;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestCluster;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a cache purge made on node A takes to be a MISS on node C (bench/purgesync/run.sh):
 * three whole nodes in one JVM with {@code proxy_cache_path ... sync} in front of one backend (a
 * JDK HTTP server started here), each cache holding {@code fill} entries. A run caches a URL on
 * every node (HIT on each), sends PURGE to A and asks C for the URL in a tight loop until it says
 * MISS; the time is from just before the PURGE to that MISS. The same for a wildcard purge of a
 * prefix holding ten entries. The anchor, in the same run on the same links: a keyval pair written
 * through A's API until C's API shows it.
 */
public final class PurgeSyncBench {
    private PurgeSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int fill = Integer.parseInt(args[2]);
        AtomicLong served = new AtomicLong();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] body = ("fetched " + served.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        Path dir = Files.createTempDirectory("purgesync");
        String upstream = "127.0.0.1:" + backend.getAddress().getPort();
        try (TestCluster<InJvmNode> cluster = TestCluster.start(3, (i, peers) -> config(dir, i, peers, upstream),
                (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf))) {
            List<Http> http = cluster.nodes().stream().map(InJvmNode::http).toList();
            awaitLinked(http);
            for (int k = 0; k < fill; k++) {
                for (Http h : http) {
                    h.get("/fill/" + k);
                }
            }
            long[] exact = new long[runs];
            long[] wildcard = new long[runs];
            long[] keyval = new long[runs];
            long[] wildcardOnA = new long[runs];
            for (int r = -warmup; r < runs; r++) {
                long e = exact(http, "/x/" + r);
                long[] w = wildcard(http, "/w/" + r + "/");
                long kv = keyval(http, "k" + r);
                if (r >= 0) {
                    exact[r] = e;
                    wildcard[r] = w[1];
                    wildcardOnA[r] = w[0];
                    keyval[r] = kv;
                }
            }
            System.out.printf("runs %d (after %d warm-up), %d cached entries per node, backend hits %d%n", runs,
                    warmup, fill, served.get());
            report("purge_exact", exact);
            report("purge_wildcard", wildcard);
            report("purge_wildcard_answered_on_a", wildcardOnA);
            report("keyval_anchor", keyval);
            System.out.printf("RESULT ratio_exact_vs_keyval %.2f%n", median(exact) / median(keyval));
            System.out.printf("RESULT ratio_wildcard_vs_keyval %.2f%n", median(wildcard) / median(keyval));
        } finally {
            backend.stop(0);
        }
    }

    private static String config(Path dir, int index, List<Integer> peers, String upstream) {
        StringBuilder servers = new StringBuilder();
        for (int p : peers) {
            servers.append("zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return """
                worker_processes 1;
                events { }
                error_log stderr error;
                http {
                    access_log off;
                    map $request_method $purge { PURGE 1; default 0; }
                    proxy_cache_path %s levels=1:2 keys_zone=c:10m sync;
                    keyval_zone zone=kv:1m sync;
                    server {
                        listen 127.0.0.1:0;
                        add_header X-Cache-Status $upstream_cache_status;
                        location / {
                            proxy_cache c; proxy_cache_key $uri; proxy_cache_valid 1h; proxy_cache_purge $purge;
                            proxy_pass http://%s;
                        }
                        location /api { api write=on; }
                    }
                }
                stream { server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms;
                %s} }
                """.formatted(dir.resolve("cache" + index), upstream, servers);
    }

    private static void awaitLinked(List<Http> http) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Http h : http) {
                all &= h.get("/api/9/stream/zone_sync/").body().contains("\"nodes_online\":2");
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the nodes did not link within 60 s");
    }

    private static String status(Http h, String path) {
        HttpResponse<String> r = h.get(path);
        return r.headers().firstValue("X-Cache-Status").orElse("");
    }

    /** Caches {@code path} on every node until each says HIT. */
    private static void cacheEverywhere(List<Http> http, String path) {
        for (Http h : http) {
            h.get(path);
            if (!status(h, path).equals("HIT")) {
                throw new IllegalStateException(path + " is not a HIT");
            }
        }
    }

    /** Microseconds from the PURGE on A until C misses. */
    private static long exact(List<Http> http, String path) {
        cacheEverywhere(http, path);
        long start = System.nanoTime();
        expect(http.get(0).send("PURGE", path, null), 204);
        awaitMiss(http.get(2), path, start);
        return (System.nanoTime() - start) / 1000;
    }

    /**
     * Microseconds from the PURGE of {@code prefix*} on A until A answers it (A reads every entry's
     * metadata first), and until C misses the last of its ten entries.
     */
    private static long[] wildcard(List<Http> http, String prefix) {
        for (int i = 0; i < 10; i++) {
            cacheEverywhere(http, prefix + i);
        }
        long start = System.nanoTime();
        expect(http.get(0).send("PURGE", prefix + "*", null), 204);
        long answered = System.nanoTime();
        awaitMiss(http.get(2), prefix + "9", start);
        return new long[] {(answered - start) / 1000, (System.nanoTime() - start) / 1000};
    }

    /** Microseconds from the keyval write on A until C's API shows it. */
    private static long keyval(List<Http> http, String key) {
        long start = System.nanoTime();
        expect(http.get(0).post("/api/9/http/keyvals/kv", "{\"" + key + "\":\"v\"}"), 201);
        while (!http.get(2).get("/api/9/http/keyvals/kv?key=" + key).body().contains("\"" + key + "\"")) {
            giveUpAfter(start, key);
        }
        return (System.nanoTime() - start) / 1000;
    }

    private static void awaitMiss(Http h, String path, long start) {
        while (!status(h, path).equals("MISS")) {
            giveUpAfter(start, path);
        }
    }

    private static void giveUpAfter(long start, String what) {
        if (System.nanoTime() - start > 30_000_000_000L) {
            throw new IllegalStateException(what + " did not arrive within 30 s");
        }
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.statusCode() + ": " + r.body());
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static void report(String name, long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        List<String> all = new ArrayList<>();
        for (long m : micros) {
            all.add(String.format("%.1f", m / 1000.0));
        }
        System.out.printf("%s ms, in run order: %s%n", name, String.join(" ", all));
        System.out.printf("RESULT %s.median_ms %.2f%n", name, median(micros) / 1000.0);
        System.out.printf("RESULT %s.min_ms %.2f%n", name, s[0] / 1000.0);
        System.out.printf("RESULT %s.p90_ms %.2f%n", name, s[(int) Math.ceil(0.9 * s.length) - 1] / 1000.0);
        System.out.printf("RESULT %s.max_ms %.2f%n", name, s[s.length - 1] / 1000.0);
    }
}
