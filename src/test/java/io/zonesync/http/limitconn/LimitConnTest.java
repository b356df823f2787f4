package io.zonesync.http.limitconn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_conn's zone accounting and its configuration errors in nginx's words. */
class LimitConnTest {
    @TempDir
    Path dir;

    @Test
    void placesAreTakenUpToTheLimitAndGivenBack() {
        LimitConnZone z = new LimitConnZone("a", "$k", LimitConnZone.MIN_SIZE);
        assertThat(z.acquire("x", 2)).isEqualTo(LimitConnZone.Result.ACQUIRED);
        assertThat(z.acquire("x", 2)).isEqualTo(LimitConnZone.Result.ACQUIRED);
        assertThat(z.acquire("x", 2)).isEqualTo(LimitConnZone.Result.OVER_LIMIT);
        assertThat(z.acquire("y", 2)).isEqualTo(LimitConnZone.Result.ACQUIRED);
        z.release("x");
        assertThat(z.count("x")).isEqualTo(1);
        assertThat(z.acquire("x", 2)).isEqualTo(LimitConnZone.Result.ACQUIRED);
        z.release("unknown");
        assertThat(z.count("unknown")).isZero();
    }

    @Test
    void aFullZoneRefusesNewKeysAndFreesTheirRoomWhenTheLastPlaceGoes() {
        LimitConnZone z = new LimitConnZone("a", "$k", LimitConnZone.MIN_SIZE);
        int n = 0;
        while (z.acquire("key" + n, 1) == LimitConnZone.Result.ACQUIRED) {
            n++;
        }
        // 32 KiB less the allocator's page, 64 bytes a short key: 448 keys, as nginx's slab would hold
        assertThat(n).isEqualTo(448);
        assertThat(z.acquire("key0", 1)).isEqualTo(LimitConnZone.Result.OVER_LIMIT);
        z.release("key0");
        assertThat(z.acquire("another", 1)).isEqualTo(LimitConnZone.Result.ACQUIRED);
    }

    @Test
    void aReloadKeepsAZoneOfTheSameKeyAndSizeWithItsCountsAndOnlyTheZonesCompiled() {
        LimitConnZone a = LimitConnZones.NONE.keep("a", "$k", LimitConnZone.MIN_SIZE);
        LimitConnZone b = LimitConnZones.NONE.keep("b", "$k", LimitConnZone.MIN_SIZE);
        LimitConnZones zones = new LimitConnZones(Map.of("a", a, "b", b));
        a.counts().passed();
        a.counts().rejected(false);
        b.counts().rejected(true);
        assertThat(zones.counts()).containsOnlyKeys("a", "b");
        assertThat(zones.keep("a", "$k", LimitConnZone.MIN_SIZE)).isSameAs(a);
        LimitConnZone resized = zones.keep("b", "$k", 2 * LimitConnZone.MIN_SIZE);
        assertThat(resized).isNotSameAs(b);
        zones = new LimitConnZones(Map.of("b", resized));
        assertThat(zones.counts()).containsOnlyKeys("b");
        assertThat(zones.counts().get("b").rejectedDryRunCount()).isZero();
        // a zone dropped by a reload starts again if it comes back
        assertThat(zones.keep("a", "$k", LimitConnZone.MIN_SIZE)).isNotSameAs(a);
        assertThat(a.counts().passedCount()).isEqualTo(1);
        assertThat(a.counts().rejectedCount()).isEqualTo(1);
    }

    private void assertError(String http, String message) {
        LimitConnModule m = new LimitConnModule(LimitConnZones.NONE);
        assertThatThrownBy(() -> TestConfigs.compile("http { " + http + " }", dir, List.of(m), m))
                .isInstanceOf(ConfigException.class).hasMessage(message + " in t.conf:1");
    }

    @Test
    void configurationErrorsAreNginxs() {
        String zone = "limit_conn_zone $binary_remote_addr zone=a:1m; ";
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn b 1; }", "zero size shared memory zone \"b\"");
        assertError("limit_conn_zone $binary_remote_addr zone=a:1k;", "zone \"zone=a:1k\" is too small");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a 0; }", "invalid number of connections \"0\"");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a x; }", "invalid number of connections \"x\"");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a 1; limit_conn a 2; }",
                "\"limit_conn\" directive is duplicate");
        assertError(zone + "limit_conn_zone $remote_addr zone=a:1m;",
                "limit_conn_zone \"a\" is already bound to key \"$binary_remote_addr\"");
        assertError("limit_conn_status 399; server { listen 127.0.0.1:0; }", "value must be between 400 and 599");
        assertError("limit_conn_log_level crit; server { listen 127.0.0.1:0; }", "invalid value \"crit\"");
    }
}
