package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys zones as a zone family: every {@code proxy_cache_path} is declared with its
 * {@code sync} and {@code inactive}; a reload keeps a zone (and the purges it remembers) while
 * {@code sync} is unchanged, and a new {@code inactive} is the lifetime of purges made from then.
 */
class CachePurgeFamilyTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(1_000_000);
    private final StampSource stamps = new StampSource() {
        private long last;

        @Override
        public Stamp next() {
            return new Stamp(++last, 1);
        }

        @Override
        public void observe(Stamp remote) {
        }
    };
    private final CachePurgeFamily family = new CachePurgeFamily(clock, stamps);

    private List<CachePurgeFamily.Declared> declare(String http) throws Exception {
        return family.declare(InJvmNode.parse(dir, "events { }\nhttp {\n" + http + "\n}\n"));
    }

    @Test
    void everyKeysZoneIsDeclaredWithItsSyncAndInactive() throws Exception {
        List<CachePurgeFamily.Declared> d = declare("proxy_cache_path a keys_zone=one:1m;\n"
                + "proxy_cache_path b keys_zone=two:1m inactive=30s sync;");
        assertThat(d).extracting(CachePurgeFamily.Declared::zone).containsExactly("one", "two");
        assertThat(d).extracting(family::synced).containsExactly(false, true);
        assertThat(d).extracting(CachePurgeFamily.Declared::inactiveMs).containsExactly(600_000L, 30_000L);
        assertThat(d).extracting(CachePurgeFamily.Declared::keys).containsExactly(8192, 8192);
        assertThat(d.get(1).where().line()).isEqualTo(4);
    }

    @Test
    void aReloadKeepsTheZoneAndItsPurgesWhileSyncIsUnchanged() throws Exception {
        CachePurgeFamily.Declared first = declare("proxy_cache_path a keys_zone=c:1m inactive=30s sync;").get(0);
        CachePurges zone = family.zoneFor(first, null);
        family.commit(first, zone, null);
        zone.local("/a");

        CachePurgeFamily.Declared longer = declare("proxy_cache_path a keys_zone=c:1m inactive=1m sync;").get(0);
        assertThat(family.zoneFor(longer, zone)).isSameAs(zone);
        family.commit(longer, zone, null);
        zone.local("/b");
        CachePurgeReplica replica = new CachePurgeReplica(zone);
        assertThat(replica.export("/a").ttlMs()).isEqualTo(30_000);
        assertThat(replica.export("/b").ttlMs()).isEqualTo(60_000);

        CachePurgeFamily.Declared unsynced = declare("proxy_cache_path a keys_zone=c:1m inactive=1m;").get(0);
        CachePurges fresh = family.zoneFor(unsynced, zone);
        assertThat(fresh).isNotSameAs(zone);
        assertThat(fresh.sync()).isFalse();
        assertThat(fresh.size()).isZero();
        family.release(zone);
    }
}
