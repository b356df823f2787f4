package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy cache against Debian's nginx in front of the same backend: {@code $upstream_cache_status}
 * (in X-Cache-Status), statuses and bodies over sequences of requests. Expiry is watched through a
 * location that shares the key but whose answer is not cached, so polling does not refresh the entry.
 */
class ProxyCacheDifferentialIT extends DifferentialSuite {
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("files/files"));
        Files.writeString(dir.resolve("files/files/r.txt"), "a static file");
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "backend $uri"; }
                    location /bad { return 500 "backend failed"; }
                    location /nocc { add_header Cache-Control no-cache; return 200 "nocc"; }
                    location /cookie { add_header Set-Cookie a=1; return 200 "cookie"; }
                    location /maxage { add_header Cache-Control max-age=60; return 200 "maxage"; }
                    location /xae0 { add_header X-Accel-Expires 0; return 200 "xae0"; }
                    location /files/ { root %s; }
                }
                """.formatted(dir.resolve("files")));
        String b = backend.address();
        return Differential.start(dir, """
                access_log off;
                proxy_cache_path cache levels=1:2 keys_zone=one:1m inactive=10m;
                server {
                    listen LISTEN;
                    proxy_cache one;
                    add_header X-Cache-Status $upstream_cache_status always;
                    location /plain/ { proxy_cache_valid 200 1m; proxy_pass http://%1$s; }
                    location /exp/ok { proxy_cache_key expkey; proxy_cache_valid 200 1s; proxy_pass http://%1$s/ok; }
                    location /exp/bad { proxy_cache_key expkey; proxy_cache_valid 200 1s; proxy_pass http://%1$s/bad; }
                    location /bypass/ {
                        proxy_cache_valid 1m; proxy_cache_key $uri; proxy_cache_bypass $arg_skip; proxy_pass http://%1$s;
                    }
                    location /nostore/ {
                        proxy_cache_valid 1m; proxy_cache_key $uri; proxy_no_cache $arg_nc; proxy_pass http://%1$s;
                    }
                    location /uses/ { proxy_cache_valid 1m; proxy_cache_min_uses 2; proxy_pass http://%1$s; }
                    location /off/ { proxy_cache off; proxy_pass http://%1$s; }
                    location /post/ { proxy_cache_valid 1m; proxy_pass http://%1$s; }
                    location /hdr/ { proxy_pass http://%1$s/; }
                    location /hdr-valid/ { proxy_cache_valid 1m; proxy_pass http://%1$s/; }
                    location /hdr-ignored/ {
                        proxy_cache_valid 1m; proxy_ignore_headers Cache-Control Set-Cookie X-Accel-Expires;
                        proxy_pass http://%1$s/;
                    }
                    location /stale/ok {
                        proxy_cache_key stalekey; proxy_cache_valid 200 1s; proxy_pass http://%1$s/ok;
                    }
                    location /stale/bad {
                        proxy_cache_key stalekey; proxy_cache_valid 200 1s; proxy_cache_use_stale http_500;
                        proxy_pass http://%1$s/bad;
                    }
                    location /stale/dead {
                        proxy_cache_key stalekey; proxy_cache_valid 200 1s; proxy_cache_use_stale error timeout;
                        proxy_pass http://127.0.0.1:1/ok;
                    }
                    location /reval/ok {
                        proxy_cache_key revkey; proxy_cache_valid 200 1s; proxy_cache_revalidate on;
                        proxy_pass http://%1$s/files/r.txt;
                    }
                    location /reval/bad { proxy_cache_key revkey; proxy_cache_valid 200 1s; proxy_pass http://%1$s/bad; }
                    location /cond/ { proxy_cache_valid any 1m; proxy_pass http://%1$s/files/; }
                    location /stale/dead-off {
                        proxy_cache_key stalekey; proxy_cache_valid 200 1s; proxy_pass http://127.0.0.1:1/ok;
                    }
                }
                """.formatted(b));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private void sequence(String... targets) throws Exception {
        for (String t : targets) {
            assertSameAnswers(servers.get(t), "GET " + t);
        }
    }

    private static String status(Differential.Answer a) {
        return a.headers().get("x-cache-status");
    }

    @Test
    void missThenHit() throws Exception {
        sequence("/plain/a", "/plain/a", "/plain/b", "/plain/a?x=1", "/plain/a");
        assertThat(status(servers.get("/plain/a").zonesync())).isEqualTo("HIT");
        assertThat(status(servers.get("/off/a").zonesync())).isNull();
    }

    @Test
    void expiredAfterTheValidTime() throws Exception {
        sequence("/exp/ok", "/exp/ok");
        awaitBoth("/exp/bad", "EXPIRED");
        sequence("/exp/bad", "/exp/ok", "/exp/ok");
        assertThat(status(servers.get("/exp/ok").zonesync())).isEqualTo("HIT");
    }

    @Test
    void bypassAndNoCache() throws Exception {
        sequence("/bypass/a?skip=1", "/bypass/a", "/bypass/a?skip=0", "/bypass/b?skip=1", "/bypass/b?skip=1");
        sequence("/nostore/a?nc=1", "/nostore/a?nc=1", "/nostore/a", "/nostore/a?nc=1", "/nostore/a");
    }

    @Test
    void minUses() throws Exception {
        sequence("/uses/a", "/uses/a", "/uses/a", "/uses/a");
    }

    @Test
    void methods() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertSameAnswers(servers.both("POST /post/a HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n"), "POST");
        }
    }

    @Test
    void upstreamHeadersDecide() throws Exception {
        sequence("/hdr/nocc", "/hdr/nocc", "/hdr/maxage", "/hdr/maxage", "/hdr/cookie", "/hdr/cookie",
                "/hdr/other", "/hdr/other", "/hdr-valid/xae0", "/hdr-valid/xae0", "/hdr-valid/cookie",
                "/hdr-ignored/nocc", "/hdr-ignored/nocc", "/hdr-ignored/cookie", "/hdr-ignored/cookie",
                "/hdr-ignored/xae0", "/hdr-ignored/xae0");
    }

    @Test
    void staleAnswersWhenTheUpstreamFails() throws Exception {
        sequence("/stale/ok", "/stale/bad", "/stale/dead");
        awaitBoth("/stale/bad", "STALE");
        sequence("/stale/bad", "/stale/dead", "/stale/dead-off");
    }

    @Test
    void revalidateAsksForA304() throws Exception {
        sequence("/reval/ok", "/reval/ok");
        awaitBoth("/reval/bad", "EXPIRED");
        sequence("/reval/ok", "/reval/ok");
        assertThat(status(servers.get("/reval/ok").zonesync())).isEqualTo("HIT");
    }

    @Test
    void theClientsConditionalHeadersDoNotGoUpstream() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertSameAnswers(servers.both("GET /cond/r.txt HTTP/1.1\r\nHost: diff.test\r\nIf-None-Match: *\r\n"
                    + "Connection: close\r\n\r\n"), "conditional");
        }
        Differential.Pair plain = servers.get("/cond/r.txt");
        assertSameAnswers(plain, "after a conditional request");
        assertThat(plain.zonesync().body()).isEqualTo("a static file");
    }

    /** Polls until each server has answered {@code target} with {@code wanted} (not necessarily together). */
    private void awaitBoth(String target, String wanted) {
        List<Boolean> seen = new ArrayList<>(List.of(false, false));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Differential.Pair p = servers.get(target);
            seen.set(0, seen.get(0) || wanted.equals(status(p.zonesync())));
            seen.set(1, seen.get(1) || wanted.equals(status(p.nginx())));
            return seen.get(0) && seen.get(1);
        });
    }
}
