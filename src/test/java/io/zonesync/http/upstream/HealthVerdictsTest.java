package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigParser;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of shared health check verdicts ({@code zone ... sync}): the newest stamp wins
 * whatever the order and however often records arrive; a local check publishes only a change; a
 * verdict that wins moves the zone's servers as a local check would, also after a reload.
 */
class HealthVerdictsTest {

    /** Stamps of one node: a counter, newer than every stamp seen. */
    private static final class Stamps implements StampSource {
        private final long node;
        private long last;

        Stamps(long node) {
            this.node = node;
        }

        @Override
        public synchronized Stamp next() {
            return new Stamp(++last, node);
        }

        @Override
        public synchronized void observe(Stamp remote) {
            last = Math.max(last, remote.hlc());
        }
    }

    private static ZoneRecord record(String upstream, String address, boolean unhealthy, long hlc, long node) {
        return new ZoneRecord(new HealthVerdicts.Key(upstream, address).bytes(), new byte[] {(byte) (unhealthy ? 1 : 0)},
                new Stamp(hlc, node), false, ZoneRecord.NO_EXPIRY);
    }

    private static HealthVerdicts verdicts(List<String> decided) {
        HealthVerdicts v = new HealthVerdicts("b", new Stamps(9), (k, d) -> decided.add(k.address() + "="
                + (d.unhealthy() ? "unhealthy" : "up")));
        v.setSynced(true);
        return v;
    }

    @Test
    void theNewestStampWinsInAnyOrderAndDuplicatesChangeNothing() {
        List<ZoneRecord> records = new ArrayList<>(List.of(
                record("b", "10.0.0.1:80", true, 100, 1),
                record("b", "10.0.0.1:80", false, 200, 2),
                record("b", "10.0.0.1:80", true, 200, 1), // same time, lower node id: older
                record("b", "10.0.0.2:80", true, 150, 3),
                record("c", "10.0.0.1:80", true, 50, 3)));
        Set<String> outcomes = new HashSet<>();
        for (int round = 0; round < 30; round++) {
            List<ZoneRecord> order = new ArrayList<>(records);
            Collections.shuffle(order, new java.util.Random(round));
            order.addAll(records.subList(0, 2)); // late duplicates
            HealthVerdicts v = verdicts(new ArrayList<>());
            for (ZoneRecord r : order) {
                v.applyRemote(r);
            }
            outcomes.add(v.verdict("b", "10.0.0.1:80") + " " + v.verdict("b", "10.0.0.2:80") + " "
                    + v.verdict("c", "10.0.0.1:80"));
            assertThat(v.verdict("b", "10.0.0.1:80")).isEqualTo(new HealthVerdicts.Verdict(false, new Stamp(200, 2)));
            assertThat(v.recordCount()).isEqualTo(3);
        }
        assertThat(outcomes).hasSize(1);

        List<String> decided = new ArrayList<>();
        HealthVerdicts v = verdicts(decided);
        assertThat(v.applyRemote(records.get(1))).isTrue();
        assertThat(v.applyRemote(records.get(1))).as("the same record again").isFalse();
        assertThat(v.applyRemote(records.get(0))).as("older").isFalse();
        assertThat(decided).as("only winners reach the group").containsExactly("10.0.0.1:80=up");
    }

    @Test
    void malformedRecordsAreIgnored() {
        List<String> decided = new ArrayList<>();
        HealthVerdicts v = verdicts(decided);
        byte[] key = new HealthVerdicts.Key("b", "10.0.0.1:80").bytes();
        assertThat(v.applyRemote(new ZoneRecord(key, new byte[] {2}, new Stamp(1, 1), false, -1))).isFalse();
        assertThat(v.applyRemote(new ZoneRecord(key, new byte[] {1, 0}, new Stamp(1, 1), false, -1))).isFalse();
        assertThat(v.applyRemote(new ZoneRecord(key, new byte[0], new Stamp(1, 1), true, 1000))).isFalse();
        assertThat(v.applyRemote(new ZoneRecord(new byte[] {9, 'b'}, new byte[] {1}, new Stamp(1, 1), false, -1)))
                .isFalse();
        assertThat(v.applyRemote(new ZoneRecord(new byte[] {1, 'b'}, new byte[] {1}, new Stamp(1, 1), false, -1)))
                .as("no address").isFalse();
        assertThat(v.recordCount()).isZero();
        assertThat(decided).isEmpty();
    }

    @Test
    void aLocalCheckPublishesOnlyWhatDiffersFromTheVerdictInForce() {
        List<HealthVerdicts.Key> told = new ArrayList<>();
        HealthVerdicts v = verdicts(new ArrayList<>());
        v.setChangeListener((zone, key) -> told.add(key));
        assertThat(v.checked("b", "10.0.0.1:80", false)).isEqualTo(new HealthVerdicts.Key("b", "10.0.0.1:80"));
        assertThat(v.checked("b", "10.0.0.1:80", false)).as("the same outcome again").isNull();
        // another node found it dead, later: this node's next check that finds it alive is newer still
        v.applyRemote(record("b", "10.0.0.1:80", true, 1000, 1));
        assertThat(v.checked("b", "10.0.0.1:80", true)).as("it agrees: nothing to tell").isNull();
        ZoneRecord exported = v.export(new HealthVerdicts.Key("b", "10.0.0.1:80"));
        assertThat(exported.stamp().node()).isEqualTo(1);
        assertThat(exported.payload()).containsExactly(1);
        v.tell(v.checked("b", "10.0.0.1:80", false));
        assertThat(told).containsExactly(new HealthVerdicts.Key("b", "10.0.0.1:80"));
        assertThat(v.verdict("b", "10.0.0.1:80").unhealthy()).isFalse();
        assertThat(v.verdict("b", "10.0.0.1:80").stamp().node()).isEqualTo(9);

        // a snapshot carries every verdict to a peer
        HealthVerdicts other = verdicts(new ArrayList<>());
        v.snapshot().forEachRemaining(other::applyRemote);
        assertThat(other.verdict("b", "10.0.0.1:80")).isEqualTo(v.verdict("b", "10.0.0.1:80"));

        HealthVerdicts off = new HealthVerdicts("b", new Stamps(9), (k, d) -> { });
        assertThat(off.checked("b", "10.0.0.1:80", true)).isNull();
        assertThat(off.recordCount()).as("a zone without sync publishes nothing").isZero();
    }

    @Test
    void aWinningVerdictMovesTheServerAsALocalCheckWouldAndSurvivesAReload() throws Exception {
        UpstreamZones zones = new UpstreamZones("b", new Stamps(9), new ResolverZones());
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        UpstreamGroup g = group(zones, clock);
        HealthVerdicts v = zones.verdicts();
        Peer first = g.peers().get(0);
        String dead = first.addressText();

        v.applyRemote(record("b", dead, true, 100, 1));
        assertThat(first.health().unhealthy()).isTrue();
        assertThat(first.health().unhealthyTimes()).isEqualTo(1);
        assertThat(g.status().peers().get(0).state()).isEqualTo("unhealthy");
        for (int i = 0; i < 6; i++) {
            Peer p = g.select(g.newAttempts(), null, null);
            assertThat(p.addressText()).isNotEqualTo(dead);
            g.release(p, Outcome.OK, g.newAttempts());
        }

        // a reload makes a new group from the zone: the verdict still keeps the server out
        UpstreamGroup next = group(zones, clock);
        assertThat(next.peers().get(0).health().unhealthy()).isTrue();

        // this node's own check (passes=2) needs its passes in a row, as with its own verdicts
        next.checked(next.peers().get(0), true, 1, 2);
        assertThat(next.peers().get(0).health().unhealthy()).isTrue();
        v.applyRemote(record("b", dead, false, 200, 2));
        assertThat(next.peers().get(0).health().excludes()).isFalse();
        assertThat(next.peers().get(0).health().unhealthyTimes()).isEqualTo(1);
        assertThat(next.peers().get(0).health().checks()).as("this node's checks only").isEqualTo(1);

        // a peer's verdict handed to the group after a local check made a newer one: the newer holds
        Peer again = next.peers().get(0);
        next.checked(again, false, 1, 1);
        assertThat(again.health().unhealthy()).isTrue();
        next.decided(dead, new HealthVerdicts.Verdict(false, new Stamp(200, 2)));
        assertThat(again.health().unhealthy()).isTrue();
        assertThat(v.verdict("b", dead).stamp().node()).isEqualTo(9);

        // a reload without sync forgets the verdicts: none comes back stale with a later sync
        zones.commit(List.of("b"), false);
        assertThat(v.recordCount()).isZero();
    }

    @Test
    void aServerAPeersVerdictLetsBackInBeginsItsSlowStart() throws Exception {
        UpstreamZones zones = new UpstreamZones("b", new Stamps(9), new ResolverZones());
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        UpstreamGroup g = group(zones, clock, "server 10.0.0.1:80 weight=10 slow_start=10s; server 10.0.0.2:80;");
        Peer first = g.peers().get(0);
        zones.verdicts().applyRemote(record("b", first.addressText(), true, 100, 1));
        assertThat(first.health().unhealthy()).isTrue();
        clock.advance(60_000);
        zones.verdicts().applyRemote(record("b", first.addressText(), false, 200, 2));
        assertThat(first.health().excludes()).isFalse();
        assertThat(first.weight(clock.millis())).isEqualTo(1);
        clock.advance(5_000);
        assertThat(first.weight(clock.millis())).isEqualTo(5);
    }

    private static UpstreamGroup group(UpstreamZones zones, MutableClock clock) throws Exception {
        return group(zones, clock, "server 10.0.0.1:80 max_fails=0; server 10.0.0.2:80 max_fails=0;");
    }

    private static UpstreamGroup group(UpstreamZones zones, MutableClock clock, String servers) throws Exception {
        UpstreamSpec spec = UpstreamSpec.parse(ConfigParser.parseString(
                "upstream b { zone b 64k sync; " + servers + " }",
                "t.conf").first("upstream"), new io.zonesync.config.Block(List.of()), null);
        UpstreamGroup g = UpstreamGroup.compile(spec, clock, null, zones.of("b"));
        zones.commit(List.of("b"), true);
        return g;
    }
}
