package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sync adapter: records carry a running count of accepted requests, so exporting twice (two
 * links, a record put back into the next frame, a snapshot beside a live push) never loses or
 * doubles a request; the receiver adds what is new since the last record from that node.
 */
class LimitReqReplicaTest {
    private final MutableClock clock = MutableClock.uptime();

    private static StampSource stamps(long node) {
        return new StampSource() {
            private long hlc;

            @Override
            public synchronized Stamp next() {
                return new Stamp(++hlc, node);
            }

            @Override
            public void observe(Stamp remote) {
            }
        };
    }

    /** The test's stamps count from the epoch: against this clock, records arrive the moment they are sent. */
    private static final Clock NO_TRANSIT = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private final LimitReqReplica a = new LimitReqReplica(zone(), stamps(0xA), NO_TRANSIT);
    private final LimitReqReplica b = new LimitReqReplica(zone(), stamps(0xB), NO_TRANSIT);
    private final LimitReqReplica c = new LimitReqReplica(zone(), stamps(0xC), NO_TRANSIT);
    private static final LimitKey K = LimitKey.of("client");

    private LimitReqZone zone() {
        return new LimitReqZone("one", 1 << 20, "$k", 1000, clock); // 1r/s
    }

    private static void accept(LimitReqReplica r, int n) {
        for (int i = 0; i < n; i++) {
            r.zone().lookup(K, Long.MAX_VALUE / 2, true);
        }
    }

    private static long level(LimitReqReplica r) {
        return r.zone().level(K);
    }

    @Test
    void everyAcceptedRequestFiresTheListenerAndExportChangesNothing() {
        List<LimitKey> changed = new ArrayList<>();
        a.setChangeListener((z, key) -> changed.add(key));
        accept(a, 3);
        assertThat(changed).containsExactly(K, K, K);
        ZoneRecord first = a.export(K);
        ZoneRecord again = a.export(K);
        assertThat(again.payload()).isEqualTo(first.payload());
        assertThat(first.stamp().node()).isEqualTo(0xA);
        assertThat(first.expires()).isFalse();
        assertThat(a.export(LimitKey.of("absent"))).isNull();
        assertThat(LimitReqRecord.decode(first.payload()).accepted()).isEqualTo(3);
    }

    @Test
    void eachPeerAddsWhatIsNewSinceItsLastRecordFromTheSender() {
        accept(a, 1);
        b.applyRemote(a.export(K)); // first record from a: only where a's count starts
        c.applyRemote(a.export(K));
        assertThat(level(b)).isZero();
        accept(a, 3);
        ZoneRecord r = a.export(K);
        b.applyRemote(r);
        b.applyRemote(r); // the same record again (a frame put back, a snapshot overlapping) adds nothing
        c.applyRemote(a.export(K)); // the second link exports too: c gets all three as well
        assertThat(level(b)).isEqualTo(3000);
        assertThat(level(c)).isEqualTo(3000);
    }

    @Test
    void remoteRequestsLeakLikeLocalOnesAndCountAgainstLocalTraffic() {
        accept(a, 1);
        b.applyRemote(a.export(K));
        accept(a, 2);
        clock.at(500);
        accept(b, 1); // b's state dates from a's first record: 0 - 500 + 1000
        b.applyRemote(a.export(K)); // leak to now (nothing) and add a's two: 2500, as one node would have
        assertThat(level(b)).isEqualTo(2500);
        clock.at(1500);
        // 2500 - 1000 + 1000 = 2500 > burst 1000: a single node would refuse this one too
        assertThat(b.zone().lookup(K, 1000, true).outcome()).isEqualTo(LimitReqZone.Outcome.BUSY);
    }

    /**
     * With no burst every accepted request leaves the bucket empty. A peer's request is charged as
     * one nginx would have taken it between b's own requests: b at 0 s, a at 1 s (heard of at
     * 1.2 s), so b may take the next at 2 s. Charged at its arrival, or with the time the bucket
     * stood empty before it thrown away, b had to wait until 2.2 s: a 3-node cluster admitted 6%
     * less than one nginx.
     */
    @Test
    void aPeersRequestIsChargedAsOneBucketWouldHaveTakenItWhenItHappened() {
        accept(b, 1);
        accept(a, 1);
        b.applyRemote(a.export(K)); // where a's count starts
        clock.at(1000);
        assertThat(a.zone().lookup(K, 0, true).outcome()).isEqualTo(LimitReqZone.Outcome.OK);
        clock.at(1200);
        b.applyRemote(a.export(K));
        clock.at(1999);
        assertThat(b.zone().lookup(K, 0, true).outcome()).isEqualTo(LimitReqZone.Outcome.BUSY);
        clock.at(2000);
        assertThat(b.zone().lookup(K, 0, true).outcome()).isEqualTo(LimitReqZone.Outcome.OK);
    }

    @Test
    void aSnapshotRaisesTheLevelToThePeersLeakedByItsIdleTime() {
        accept(a, 5); // level 4000 at t=0
        clock.at(1000);
        b.applyRemote(a.export(K)); // idle 1000 ms: 4000 - 1000
        assertThat(level(b)).isEqualTo(3000);
        accept(b, 1); // 3000 - 0 + 1000
        a.applyRemote(b.export(K)); // b's first record at a: a = max(4000 - 1000, 4000 - 0)
        assertThat(level(a)).isEqualTo(4000);
        b.applyRemote(a.export(K)); // a's count did not move: b keeps max(4000, 4000)
        assertThat(level(b)).isEqualTo(4000);
    }

    @Test
    void aRequestHeardOfThroughTwoPeersCountsOnce() {
        for (LimitReqReplica r : List.of(a, b, c)) {
            accept(r, 1); // a fresh bucket takes its first request at level 0
        }
        for (LimitReqReplica from : List.of(a, b, c)) {
            for (LimitReqReplica to : List.of(a, b, c)) {
                if (from != to) {
                    to.applyRemote(from.export(K)); // where each sender's count starts
                }
            }
        }
        accept(c, 1);
        b.applyRemote(c.export(K)); // b holds c's request
        accept(b, 1);
        a.applyRemote(b.export(K)); // b's record reaches a before c's does, its level holding c's request
        a.applyRemote(c.export(K));
        c.applyRemote(b.export(K));
        assertThat(level(a)).as("two requests, whichever way they came").isEqualTo(2000);
        assertThat(level(b)).isEqualTo(2000);
        assertThat(level(c)).isEqualTo(2000);
    }

    @Test
    void countsThatPiledUpWhileApartLandNoHigherThanTheSendersOwnLevel() {
        accept(a, 1);
        b.applyRemote(a.export(K));
        accept(a, 100); // level 100000 on a, no record reaches b
        clock.at(95_000); // a's bucket drained to 5000 meanwhile
        b.applyRemote(a.export(K));
        // The 100 requests are charged when a accepted them, 95 s ago: b ends where a's own bucket is.
        assertThat(level(b)).as("a's level, not 100 requests").isEqualTo(5000);
    }

    @Test
    void aNewIncarnationOfTheKeyOnTheSenderStartsItsCountAfresh() {
        accept(a, 1);
        b.applyRemote(a.export(K));
        LimitReqReplica a2 = new LimitReqReplica(zone(), stamps(0xA), NO_TRANSIT); // a restarted or evicted the key
        accept(a2, 2);
        b.applyRemote(a2.export(K)); // other epoch: a base, not 2 - 1 requests
        assertThat(level(b)).isEqualTo(1000); // a2's own level, merged by max
        accept(a2, 1);
        b.applyRemote(a2.export(K));
        assertThat(level(b)).isEqualTo(2000);
    }

    @Test
    void recordsOfUnknownKindsAreIgnored() {
        byte[] payload = {9, 0, 0, 0, 0};
        assertThat(b.applyRemote(new ZoneRecord(K.bytes(), payload, new Stamp(1, 0xA), false, -1))).isFalse();
        assertThat(b.zone().size()).isZero();
    }

    @Test
    void payloadRoundTripsAtTheLimitsOfItsFields() {
        LimitReqZone.Export e = new LimitReqZone.Export(-1, Integer.MIN_VALUE, 0xFFFF_FFFFL, 0xFFFF_FFFEL);
        assertThat(LimitReqRecord.decode(LimitReqRecord.encode(e))).isEqualTo(e);
    }

    @Test
    void snapshotAndCountReflectTheZone() {
        accept(a, 1);
        a.zone().lookup(LimitKey.of("other"), 0, true);
        List<LimitKey> keys = new ArrayList<>();
        a.snapshot().forEachRemaining(r -> keys.add(LimitKey.of(new String(r.key(), StandardCharsets.UTF_8))));
        assertThat(keys).containsExactlyInAnyOrder(K, LimitKey.of("other"));
        assertThat(a.recordCount()).isEqualTo(2);
        assertThat(a.type().tag()).isEqualTo(3);
    }
}
