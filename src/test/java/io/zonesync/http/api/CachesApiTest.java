package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.http.proxycache.CacheStats;
import io.zonesync.http.proxycache.CacheStatsFixture;
import io.zonesync.http.proxycache.CacheStatus;
import io.zonesync.testing.TestApiState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /N/http/caches[/zone]}: every response validated against doc/api/openapi.yaml. */
class CachesApiTest {
    private final Map<String, CacheReports.Report> caches = new LinkedHashMap<>();
    private final CacheStats stats = new CacheStats();
    private ApiHandler handler;

    @BeforeEach
    void setUp() {
        CacheStatsFixture.with(stats, CacheStatus.MISS, 2, 100);
        CacheStatsFixture.with(stats, CacheStatus.HIT, 3, 100);
        CacheStatsFixture.with(stats, CacheStatus.BYPASS, 1, 7);
        caches.put("one", new CacheReports.Report(200, 1 << 20, false, stats));
        caches.put("cold", new CacheReports.Report(0, 0, true, new CacheStats()));
        handler = new ApiHandler(new TestApiState() {
            @Override
            public Map<String, CacheReports.Report> httpCaches() {
                return caches;
            }
        });
    }

    @Test
    void aCacheWithItsSizeAndEachStatus() {
        ApiResponse r = ApiSpec.call(handler, "GET", "/9/http/caches/one", null, false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ApiSpec.body(r)).isEqualTo("{\"size\":200,\"max_size\":1048576,\"cold\":false,"
                + "\"hit\":{\"responses\":3,\"bytes\":300},\"stale\":{\"responses\":0,\"bytes\":0},"
                + "\"updating\":{\"responses\":0,\"bytes\":0},\"revalidated\":{\"responses\":0,\"bytes\":0},"
                + "\"miss\":{\"responses\":2,\"bytes\":200,\"responses_written\":2,\"bytes_written\":200},"
                + "\"expired\":{\"responses\":0,\"bytes\":0,\"responses_written\":0,\"bytes_written\":0},"
                + "\"bypass\":{\"responses\":1,\"bytes\":7,\"responses_written\":1,\"bytes_written\":7}}");
        // no max_size configured: none shown; the loader still reading: cold
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/caches/cold", "fields=size,max_size,cold", false)))
                .isEqualTo("{\"size\":0,\"cold\":true}");
    }

    @Test
    void listsEveryCacheAndTheHttpEndpoints() {
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/caches/", "fields=", false))).isEqualTo("{\"cold\":{},\"one\":{}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/1/http/caches", "fields=cold", false)))
                .isEqualTo("{\"cold\":{\"cold\":true},\"one\":{\"cold\":false}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/", null, false))).isEqualTo("[\"caches\",\"limit_reqs\",\"keyvals\"]");
        caches.clear();
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/", null, false))).isEqualTo("[\"limit_reqs\",\"keyvals\"]");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/caches/", null, false))).isEqualTo("{}");
    }

    @Test
    void anUnknownCacheIsCacheNotFound() {
        ApiResponse missing = ApiSpec.call(handler, "GET", "/9/http/caches/nope", null, false);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(ApiSpec.body(missing)).contains("\"code\":\"CacheNotFound\"").contains("cache \\\"nope\\\" not found");
        assertThat(ApiSpec.call(handler, "GET", "/9/http/caches/one/hit", null, false).status()).isEqualTo(404);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/caches/nope", null, true).status()).isEqualTo(404);
    }

    @Test
    void deleteResetsTheCountersNotTheCacheAndNeedsWrite() {
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/caches/one", null, false).status()).isEqualTo(405);
        assertThat(stats.responses(CacheStatus.HIT)).isEqualTo(3);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/caches/one", null, true).status()).isEqualTo(204);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/caches/one", "fields=size,hit,miss", false))).isEqualTo("{\"size\":200,"
                + "\"hit\":{\"responses\":0,\"bytes\":0},"
                + "\"miss\":{\"responses\":0,\"bytes\":0,\"responses_written\":0,\"bytes_written\":0}}");
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/caches/", null, true).status()).isEqualTo(405);
        assertThat(ApiSpec.call(handler, "POST", "/9/http/caches/one", null, true).status()).isEqualTo(405);
    }
}
