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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy cache against Debian's nginx in front of the same backend, for what the cache does
 * with a response beyond storing it: variants by {@code Vary}, a client's {@code Range} on a cached
 * or being cached response (206, multipart/byteranges, 416, If-Range), HEAD with and without
 * {@code proxy_cache_convert_head}, and the upstream's {@code stale-while-revalidate} and
 * {@code stale-if-error}. Each request's status, {@code $upstream_cache_status} (X-Cache-Status),
 * body and range headers must agree; a multipart boundary is compared as BOUNDARY. Of a 416 only
 * the status, body, Content-Type and Content-Range are compared: nginx runs its header filters
 * twice on it (for the 200 the range filter refuses, then for the error page), so add_header's
 * headers come once or twice, and its Content-Length counts the page's server name.
 */
class ProxyCacheVariantsDifferentialIT extends DifferentialSuite {
    private static final Set<String> RANGE_HEADERS = Set.of("content-range", "accept-ranges", "content-length", "etag");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\\S+)");
    private static final String FILE = "abcdefghijklmnopqrstuvwxyz".repeat(4);
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("files/files"));
        Files.writeString(dir.resolve("files/files/f.txt"), FILE);
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "backend $uri $request_method"; }
                    location /bad { return 500 "backend failed"; }
                    location /lang { add_header Vary Accept-Language; return 200 "lang=$http_accept_language"; }
                    location /two { add_header Vary "Accept-Language, X-Tier"; return 200 "two=$http_accept_language/$http_x_tier"; }
                    location /star { add_header Vary *; return 200 "star=$http_accept_language"; }
                    location /swr { add_header Cache-Control "max-age=1, stale-while-revalidate=60"; return 200 "swr"; }
                    location /sie { add_header Cache-Control "max-age=1, stale-if-error=60"; return 200 "sie"; }
                    location /files/ { root %s; }
                }
                """.formatted(dir.resolve("files")));
        return Differential.start(dir, """
                access_log off;
                proxy_cache_path cache levels=1:2 keys_zone=one:1m;
                server {
                    listen LISTEN;
                    proxy_cache one;
                    proxy_cache_valid 200 1m;
                    add_header X-Cache-Status $upstream_cache_status always;
                    location /vary/ { proxy_cache_key $uri; proxy_pass http://%1$s/; }
                    location /novary/ { proxy_cache_key $uri; proxy_ignore_headers Vary; proxy_pass http://%1$s/; }
                    location /rng/ { proxy_cache_key rngfile; proxy_pass http://%1$s/files/; }
                    location /rngmiss/ { proxy_cache_key $http_x_n; proxy_pass http://%1$s/files/; }
                    location /plain/ { proxy_pass http://%1$s/; }
                    location /head/ { proxy_pass http://%1$s/; }
                    location /headoff/ {
                        proxy_cache_convert_head off; proxy_cache_key $request_method$uri; proxy_pass http://%1$s/;
                    }
                    location /swr/bg {
                        proxy_cache_key swr; proxy_cache_background_update on; proxy_pass http://%1$s/swr;
                    }
                    location /swr/probe { proxy_cache_key swr; proxy_pass http://%1$s/bad; }
                    location /sie/ok { proxy_cache_key sie; proxy_pass http://%1$s/sie; }
                    location /sie/bad { proxy_cache_key sie; proxy_pass http://%1$s/bad; }
                    location /sie/dead { proxy_cache_key sie; proxy_pass http://127.0.0.1:1/sie; }
                }
                """.formatted(backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private Differential.Pair send(String method, String target, String... headers) throws Exception {
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: diff.test\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        Differential.Pair p = servers.both(r.append("Connection: close\r\n\r\n").toString(), RANGE_HEADERS);
        Differential.Pair same = new Differential.Pair(unbound(p.zonesync()), unbound(p.nginx()));
        if (same.nginx().status() == 416) {
            same = new Differential.Pair(errorPage(same.zonesync()), errorPage(same.nginx()));
        }
        assertSameAnswers(same, method + " " + target + " " + String.join(", ", headers));
        return same;
    }

    /** The answer with its multipart boundary (each server picks its own) written BOUNDARY. */
    private static Differential.Answer unbound(Differential.Answer a) {
        String type = a.headers().get("content-type");
        Matcher m = type == null ? null : BOUNDARY.matcher(type);
        if (m == null || !m.find()) {
            return a;
        }
        String b = m.group(1);
        Map<String, String> h = new TreeMap<>(a.headers());
        h.put("content-type", type.replace(b, "BOUNDARY"));
        return new Differential.Answer(a.status(), h, a.body().replace(b, "BOUNDARY"));
    }

    private static Differential.Answer errorPage(Differential.Answer a) {
        Map<String, String> h = new TreeMap<>(a.headers());
        h.keySet().retainAll(Set.of("content-type", "content-range"));
        return new Differential.Answer(a.status(), h, a.body());
    }

    private static String status(Differential.Answer a) {
        return a.headers().get("x-cache-status");
    }

    @Test
    void varyKeepsOneEntryPerVariant() throws Exception {
        send("GET", "/vary/lang", "Accept-Language: en");
        send("GET", "/vary/lang", "Accept-Language: en");
        send("GET", "/vary/lang", "Accept-Language: fr");
        send("GET", "/vary/lang", "Accept-Language: fr");
        Differential.Pair en = send("GET", "/vary/lang", "Accept-Language: en");
        assertThat(status(en.zonesync())).isEqualTo("HIT");
        assertThat(en.zonesync().body()).isEqualTo("lang=en");
        send("GET", "/vary/lang");
        Differential.Pair none = send("GET", "/vary/lang");
        assertThat(none.zonesync().body()).isEqualTo("lang=");
        Differential.Pair fr = send("GET", "/vary/lang", "Accept-Language: fr");
        assertThat(fr.zonesync().body()).isEqualTo("lang=fr");
    }

    @Test
    void varyOnTwoHeadersAndItsValuesWords() throws Exception {
        send("GET", "/vary/two", "Accept-Language: en", "X-Tier: a");
        send("GET", "/vary/two", "Accept-Language: en", "X-Tier: b");
        send("GET", "/vary/two", "Accept-Language: en", "X-Tier: a");
        send("GET", "/vary/two", "X-Tier: b", "Accept-Language: en");
        send("GET", "/vary/two", "Accept-Language: en, de", "X-Tier: a");
        Differential.Pair words = send("GET", "/vary/two", "Accept-Language: en,de", "X-Tier: a");
        assertThat(status(words.zonesync())).isEqualTo("HIT");
    }

    @Test
    void varyStarIsNotCachedAndIgnoredVaryIsOneEntry() throws Exception {
        send("GET", "/vary/star", "Accept-Language: en");
        Differential.Pair star = send("GET", "/vary/star", "Accept-Language: en");
        assertThat(status(star.zonesync())).isEqualTo("MISS");
        send("GET", "/novary/lang", "Accept-Language: en");
        Differential.Pair one = send("GET", "/novary/lang", "Accept-Language: fr");
        assertThat(one.zonesync().body()).isEqualTo("lang=en");
    }

    @Test
    void rangesOfACachedResponse() throws Exception {
        send("GET", "/rng/f.txt");
        Differential.Pair single = send("GET", "/rng/f.txt", "Range: bytes=2-6");
        assertThat(single.zonesync().status()).isEqualTo(206);
        assertThat(single.zonesync().body()).isEqualTo("cdefg");
        send("GET", "/rng/f.txt", "Range: bytes=-5");
        send("GET", "/rng/f.txt", "Range: bytes=100-");
        send("GET", "/rng/f.txt", "Range: bytes=0-0,-1");
        Differential.Pair multi = send("GET", "/rng/f.txt", "Range: bytes=0-1, 10-12,100-200");
        assertThat(multi.zonesync().body()).contains("Content-Range: bytes 10-12/104").contains("klm");
        send("GET", "/rng/f.txt", "Range: bytes=0-1,1-2");
        send("GET", "/rng/f.txt", "Range: bytes=0-200,0-200");
        Differential.Pair unsatisfiable = send("GET", "/rng/f.txt", "Range: bytes=104-");
        assertThat(unsatisfiable.zonesync().status()).isEqualTo(416);
        send("GET", "/rng/f.txt", "Range: bytes=5-2");
        send("GET", "/rng/f.txt", "Range: bytes=x");
        send("GET", "/rng/f.txt", "Range: items=0-1");
        send("HEAD", "/rng/f.txt", "Range: bytes=0-1");
        String etag = servers.get("/rng/f.txt").nginx().headers().get("etag");
        send("GET", "/rng/f.txt", "Range: bytes=0-1", "If-Range: " + etag);
        send("GET", "/rng/f.txt", "Range: bytes=0-1", "If-Range: \"other\"");
        send("GET", "/rng/f.txt", "Range: bytes=0-1", "If-Range: Thu, 01 Jan 1970 00:00:00 GMT");
        // no Accept-Ranges from the upstream: no ranges from the cache either
        send("GET", "/plain/x");
        Differential.Pair plain = send("GET", "/plain/x", "Range: bytes=0-1");
        assertThat(plain.zonesync().status()).isEqualTo(200);
    }

    @Test
    void rangesOfAResponseBeingCached() throws Exception {
        Differential.Pair single = send("GET", "/rngmiss/f.txt", "X-N: 1", "Range: bytes=3-5");
        assertThat(status(single.zonesync())).isEqualTo("MISS");
        assertThat(single.zonesync().status()).isEqualTo(206);
        send("GET", "/rngmiss/f.txt", "X-N: 1");
        send("GET", "/rngmiss/f.txt", "X-N: 2", "Range: bytes=0-1,5-6");
        send("GET", "/rngmiss/f.txt", "X-N: 2", "Range: bytes=0-1,5-6");
        send("GET", "/rngmiss/f.txt", "X-N: 3", "Range: bytes=500-");
        Differential.Pair after = send("GET", "/rngmiss/f.txt", "X-N: 3");
        assertThat(status(after.zonesync())).isEqualTo("MISS");
    }

    @Test
    void headIsFetchedAsGetAndFillsTheCache() throws Exception {
        send("HEAD", "/head/a");
        Differential.Pair get = send("GET", "/head/a");
        assertThat(status(get.zonesync())).isEqualTo("HIT");
        assertThat(get.zonesync().body()).isEqualTo("backend /a GET");
        send("HEAD", "/head/a");
    }

    @Test
    void withoutConvertHeadAHeadGoesAsHead() throws Exception {
        send("HEAD", "/headoff/b");
        // the entry is renamed into place on the cache's I/O pool just after the answer (doc/proxy.md)
        await().atMost(Duration.ofSeconds(10)).until(() -> "HIT".equals(status(send("HEAD", "/headoff/b").zonesync())));
        send("GET", "/headoff/b");
        Differential.Pair get = send("GET", "/headoff/b");
        assertThat(get.zonesync().body()).isEqualTo("backend /b GET");
    }

    @Test
    void staleWhileRevalidateLetsABackgroundUpdateAnswerStale() throws Exception {
        send("GET", "/swr/bg");
        // expired: a 500 passes (stale-if-error, which stale-while-revalidate sets too, covers no status in nginx 1.22)
        awaitBoth("/swr/probe", "EXPIRED");
        Differential.Pair stale = send("GET", "/swr/bg");
        assertThat(status(stale.zonesync())).isIn("STALE", "UPDATING");
        awaitBoth("/swr/bg", "HIT");
    }

    @Test
    void staleIfErrorAnswersAFailure() throws Exception {
        send("GET", "/sie/ok");
        awaitBoth("/sie/bad", "EXPIRED");
        send("GET", "/sie/bad");
        Differential.Pair dead = send("GET", "/sie/dead");
        assertThat(status(dead.zonesync())).isEqualTo("STALE");
        assertThat(dead.zonesync().body()).isEqualTo("sie");
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
