package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpDate;
import io.zonesync.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys zone's bookkeeping and eviction, freshness by nginx's rules, and the loader. */
class CacheZoneTest {
    private final MutableClock clock = new MutableClock(1_000_000);

    private CacheZone zone(Path dir, long zoneBytes, long inactiveMs, long maxSize) {
        return new CacheZone(new CachePath(dir, List.of(1, 2), "z", zoneBytes, inactiveMs, maxSize), clock);
    }

    @Test
    void aStoredKeyIsFreshUntilItsTimeThenExpired(@TempDir Path dir) {
        CacheZone z = zone(dir, 1 << 20, 600_000, 0);
        List<String> evicted = new ArrayList<>();
        assertThat(z.lookup("k1", evicted)).isEqualTo(new CacheZone.Lookup(false, false, 1));
        z.stored("k1", clock.millis() + 1000, 10, evicted);
        assertThat(z.lookup("k1", evicted)).isEqualTo(new CacheZone.Lookup(true, true, 2));
        clock.advance(1000);
        assertThat(z.lookup("k1", evicted)).isEqualTo(new CacheZone.Lookup(true, false, 3));
        assertThat(evicted).isEmpty();
    }

    @Test
    void inactiveKeysGo(@TempDir Path dir) {
        CacheZone z = zone(dir, 1 << 20, 10_000, 0);
        List<String> evicted = new ArrayList<>();
        z.stored("old", clock.millis() + 60_000, 5, evicted);
        clock.advance(5_000);
        z.stored("young", clock.millis() + 60_000, 5, evicted);
        clock.advance(5_000);
        z.lookup("other", evicted);
        assertThat(evicted).containsExactly("old");
        assertThat(z.keys()).containsExactly("young", "other");
        assertThat(z.totalBytes()).isEqualTo(5);
    }

    @Test
    void maxSizeEvictsTheLeastRecentlyUsed(@TempDir Path dir) {
        CacheZone z = zone(dir, 1 << 20, 600_000, 25);
        List<String> evicted = new ArrayList<>();
        z.stored("a", clock.millis() + 60_000, 10, evicted);
        z.stored("b", clock.millis() + 60_000, 10, evicted);
        z.lookup("a", evicted); // b is now the least recently used
        z.stored("c", clock.millis() + 60_000, 10, evicted);
        assertThat(evicted).containsExactly("b");
        assertThat(z.totalBytes()).isEqualTo(20);
    }

    @Test
    void theZoneHoldsAsManyKeysAsItsSizeAllows(@TempDir Path dir) {
        CacheZone z = zone(dir, 3 * CacheZone.NODE_BYTES, 600_000, 0);
        List<String> evicted = new ArrayList<>();
        for (String k : List.of("a", "b", "c", "d")) {
            z.stored(k, clock.millis() + 60_000, 1, evicted);
        }
        assertThat(z.size()).isEqualTo(3);
        assertThat(evicted).containsExactly("a");
    }

    @Test
    void freshnessFollowsNginxsOrder() {
        Freshness f = new Freshness(List.of(new Freshness.Valid(404, 1000), new Freshness.Valid(0, 5000)), Set.of());
        long now = clock.millis();
        assertThat(f.validUntil(404, headers(), now)).isEqualTo(now + 1000);
        assertThat(f.validUntil(200, headers(), now)).isEqualTo(now + 5000);
        assertThat(f.validUntil(200, headers("Cache-Control", "max-age=30"), now)).isEqualTo(now + 30_000);
        assertThat(f.validUntil(200, headers("Cache-Control", "max-age=30, s-maxage=7"), now)).isEqualTo(now + 7000);
        assertThat(f.validUntil(200, headers("Cache-Control", "max-age=30", "X-Accel-Expires", "9"), now))
                .isEqualTo(now + 9000);
        assertThat(f.validUntil(200, headers("X-Accel-Expires", "0"), now)).isEqualTo(-1);
        assertThat(f.validUntil(200, headers("Cache-Control", "private"), now)).isEqualTo(-1);
        assertThat(f.validUntil(200, headers("Set-Cookie", "a=1"), now)).isEqualTo(-1);
        assertThat(f.validUntil(200, headers("Expires", HttpDate.format(now + 20_000)), now))
                .isBetween(now + 19_000, now + 20_000);
        assertThat(f.validUntil(200, headers("Expires", HttpDate.format(now - 20_000)), now)).isEqualTo(-1);
        Freshness ignoring = new Freshness(List.of(new Freshness.Valid(200, 1000)), Set.of("cache-control",
                "set-cookie"));
        assertThat(ignoring.validUntil(200, headers("Cache-Control", "no-store", "Set-Cookie", "a=1"), now))
                .isEqualTo(now + 1000);
        assertThat(ignoring.validUntil(500, headers(), now)).isEqualTo(-1);
    }

    @Test
    void theLoaderFindsWhatAnEarlierRunStored(@TempDir Path dir) throws Exception {
        CacheZone z = zone(dir, 1 << 20, 600_000, 0);
        String hash = CachePolicy.md5("http://b/x");
        Path body = z.path().file(hash);
        assertThat(dir.relativize(body).toString()).isEqualTo(hash.substring(31) + "/" + hash.substring(29, 31)
                + "/" + hash);
        Files.createDirectories(body.getParent());
        Files.writeString(body, "hello");
        new CacheMeta("http://b/x", clock.millis() + 5000, 200, 5, headers("Content-Type", "text/plain"))
                .write(Path.of(body + CacheMeta.SUFFIX));
        CacheLoader.load(z);
        assertThat(z.lookup(hash, new ArrayList<>())).isEqualTo(new CacheZone.Lookup(true, true, 1));
        assertThat(z.totalBytes()).isEqualTo(5);
        CacheMeta m = CacheMeta.read(Path.of(body + CacheMeta.SUFFIX), true);
        assertThat(m.headers().get("Content-Type")).isEqualTo("text/plain");
        assertThat(m.key()).isEqualTo("http://b/x");
    }

    private static HttpHeaders headers(String... kv) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < kv.length; i += 2) {
            h.add(kv[i], kv[i + 1]);
        }
        return h;
    }
}
