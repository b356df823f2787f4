package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A limit_conn zone's places and memory, http's and stream's alike, and how a reload keeps zones. */
class LimitConnZoneTest {
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
}
