package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.AttributeKey;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache's figures: counted once per request that used it, kept by zone name across reloads, reset apart from the cache. */
class CacheReportsTest {
    @TempDir
    Path dir;

    /** An exchange that keeps attributes and has sent {@code bodyBytes} of body. */
    private HttpExchange exchange(long bodyBytes) {
        Map<AttributeKey<?>, Object> attributes = new HashMap<>();
        return (HttpExchange) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpExchange.class},
                (p, m, args) -> switch (m.getName()) {
                    case "attribute" -> attributes.get(args[0]);
                    case "setAttribute" -> attributes.put((AttributeKey<?>) args[0], args[1]);
                    case "bodyBytesSent" -> bodyBytes;
                    default -> null;
                });
    }

    private CacheZone zone(String name, long maxSize, CacheReports reports) {
        return new CacheZone(new CachePath(dir, List.of(1, 2), name, 1 << 20, 600_000, maxSize), Clock.systemUTC(),
                reports.statsFor(name));
    }

    @Test
    void aRequestIsCountedOnceUnderTheStatusItEndedWith() {
        CacheStats stats = new CacheStats();
        HttpExchange ex = exchange(42);
        ex.setAttribute(CacheStats.KEY, stats);
        ex.setAttribute(CacheStatus.KEY, CacheStatus.EXPIRED);
        ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE); // the upstream failed: the stale entry answered
        CacheStats.COUNT.requestEnded(ex);
        CacheStats.COUNT.requestEnded(ex);
        assertThat(stats.responses(CacheStatus.STALE)).isEqualTo(1);
        assertThat(stats.bytes(CacheStatus.STALE)).isEqualTo(42);
        assertThat(stats.responses(CacheStatus.EXPIRED)).isZero();
        // a request that did not use a cache (no status) is not counted
        HttpExchange other = exchange(5);
        other.setAttribute(CacheStats.KEY, stats);
        CacheStats.COUNT.requestEnded(other);
        assertThat(stats.responses(CacheStatus.MISS)).isZero();
    }

    @Test
    void aReloadKeepsTheFiguresOfACacheOfTheSameNameAndDropsTheOthers() {
        CacheZone one = zone("one", 0, CacheReports.NONE);
        CacheZone two = zone("two", 4096, CacheReports.NONE);
        CacheReports reports = new CacheReports(Map.of("one", one, "two", two));
        one.stats().served(CacheStatus.HIT, 10);
        List<String> evicted = new ArrayList<>();
        one.stored("abc", Long.MAX_VALUE, 123, evicted);
        CacheReports.Report r = reports.all().get("one");
        assertThat(r.size()).isEqualTo(123);
        assertThat(r.maxSize()).isZero();
        assertThat(reports.all().get("two").maxSize()).isEqualTo(4096);
        one.loading(true);
        assertThat(reports.all().get("one").cold()).isTrue();
        CacheZone reloaded = zone("one", 0, reports);
        assertThat(reloaded.stats()).isSameAs(one.stats());
        reports = new CacheReports(Map.of("one", reloaded));
        assertThat(reports.all()).containsOnlyKeys("one");
        assertThat(reports.all().get("one").stats().bytes(CacheStatus.HIT)).isEqualTo(10);
        assertThat(zone("two", 4096, reports).stats()).isNotSameAs(two.stats());
        reloaded.stats().reset();
        assertThat(reports.all().get("one").stats().responses(CacheStatus.HIT)).isZero();
    }
}
