package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.http.limitreq.LimitReqFamily;
import io.zonesync.http.sticky.StickyFamily;
import io.zonesync.keyval.KeyvalFamily;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zone table runs every family the same way: zones of every kind declared together, one name
 * space across them, kept across a reload when their family allows, one replica per zone for good,
 * and one wire type tag per family.
 */
class ZoneTableTest {
    private static final String ALL_KINDS = """
            http {
                keyval_zone zone=kv:1m sync;
                limit_req_zone $remote_addr zone=rl:1m rate=10r/s sync;
                upstream be {
                    server 127.0.0.1:1;
                    sticky learn create=$upstream_cookie_sid lookup=$cookie_sid zone=sessions:1m sync;
                }
            }
            stream { keyval_zone zone=skv:1m sync; }
            """;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ZoneTable table = new ZoneTable(CompiledConfig.zoneFamilies(Clock.systemUTC(),
            HybridLogicalClock.of(1, Clock.systemUTC()), new ResolverZones()));
    private final ZoneFamily.Commit commit = new ZoneFamily.Commit((zone, type) -> 4000, timer);

    @AfterEach
    void tearDown() {
        table.close();
        timer.shutdownNow();
    }

    private static ParsedConfig parse(String text) throws ConfigException {
        return new ParsedConfig(Path.of("/etc/zonesync/t.conf"), Path.of("/etc/zonesync"),
                ConfigParser.parseString(text, "t.conf"), List.of());
    }

    @Test
    void everyFamilysZonesAreDeclaredTogetherAndEachReplicaHasItsOwnTypeTag() throws Exception {
        ZoneTable.Zones zones = table.prepare(parse(ALL_KINDS));
        table.commit(zones, commit);
        assertThat(zones.of(KeyvalFamily.HTTP)).containsOnlyKeys("kv");
        assertThat(zones.of(KeyvalFamily.STREAM)).containsOnlyKeys("skv");
        assertThat(zones.of(StickyFamily.KEY)).containsOnlyKeys("sessions");
        assertThat(zones.of(LimitReqFamily.KEY)).containsOnlyKeys("rl");
        List<ReplicatedZone<?>> replicas = table.replicated(zones);
        assertThat(replicas).extracting(ReplicatedZone::name).containsExactly("kv", "skv", "sessions", "rl");
        assertThat(replicas.stream().map(r -> r.type().name()).distinct())
                .as("keyval in http and stream is one type").containsExactly("keyval", "sticky", "limit_req");
        assertThat(replicas.stream().map(r -> r.type().tag()).distinct()).hasSize(3);
    }

    @Test
    void aReloadKeepsZonesAndTheirReplicasWhereTheFamilyAllows() throws Exception {
        ZoneTable.Zones first = table.prepare(parse(ALL_KINDS));
        table.commit(first, commit);
        KeyvalZone kv = first.of(KeyvalFamily.HTTP).get("kv");
        ReplicatedZone<?> replica = table.replicated(first).get(0);
        ZoneTable.Zones again = table.prepare(parse(ALL_KINDS.replace("zone=kv:1m sync", "zone=kv:2m sync")));
        table.commit(again, commit);
        assertThat(again.of(KeyvalFamily.HTTP).get("kv")).as("a new size waits for a restart").isSameAs(kv);
        assertThat(table.replicated(again).get(0)).isSameAs(replica);
        ZoneTable.Zones unsynced = table.prepare(parse(ALL_KINDS.replace("zone=kv:1m sync", "zone=kv:1m")));
        assertThat(unsynced.of(KeyvalFamily.HTTP).get("kv")).as("sync changed: a new zone").isNotSameAs(kv);
    }

    @Test
    void zoneNamesAreOneNamespaceAcrossFamilies() {
        assertThatThrownBy(() -> table.prepare(parse(ALL_KINDS.replace("zone=rl:1m", "zone=sessions:1m"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the shared memory zone \"sessions\" is already declared for a different use in t.conf:3");
    }

    @Test
    void aZoneWhoseCommitFailsNamesTheLineThatDeclaresIt(@TempDir Path dir) throws Exception {
        // -t checked the file; by the start it is damaged: the start's error still says where the zone is declared
        Path state = Files.writeString(dir.resolve("kv.state"), "{ not json");
        ZoneTable.Zones zones = table.prepare(parse("""
                http {
                    keyval_zone zone=fine:1m;
                    keyval_zone zone=kv:1m state=%s;
                }
                """.formatted(state)));
        assertThatThrownBy(() -> table.commit(zones, commit))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("state file \"" + state + "\" of keyval zone \"kv\" is not valid JSON")
                .hasMessageEndingWith(" in t.conf:3");
    }
}
