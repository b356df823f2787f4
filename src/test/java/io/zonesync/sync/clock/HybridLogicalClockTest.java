package io.zonesync.sync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.zone.Stamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {
    private static final long HOUR = 3_600_000L;
    private final AtomicLong wall = new AtomicLong(1_767_225_600_000L);
    private final HybridLogicalClock clock = new HybridLogicalClock(7, wall::get, HOUR);

    @Test
    void stampsCarryTheWallClockAndTheNodeId() {
        Stamp s = clock.next();
        assertThat(s.millis()).isEqualTo(wall.get());
        assertThat(s.counter()).isZero();
        assertThat(s.node()).isEqualTo(7);
    }

    @Test
    void theCounterOrdersStampsWithinOneMillisecondAndResetsWhenTimeMoves() {
        Stamp a = clock.next();
        Stamp b = clock.next();
        assertThat(b.millis()).isEqualTo(a.millis());
        assertThat(b.counter()).isEqualTo(1);
        assertThat(b).isGreaterThan(a);
        wall.addAndGet(5);
        Stamp c = clock.next();
        assertThat(c.millis()).isEqualTo(wall.get());
        assertThat(c.counter()).isZero();
    }

    @Test
    void staysMonotonicWhenTheWallClockStepsBack() {
        Stamp before = clock.next();
        wall.addAndGet(-10_000);
        Stamp after = clock.next();
        assertThat(after).isGreaterThan(before);
        assertThat(after.millis()).isEqualTo(before.millis());
        assertThat(after.counter()).isEqualTo(before.counter() + 1);
        wall.addAndGet(20_000);
        assertThat(clock.next().millis()).isEqualTo(wall.get());
    }

    @Test
    void counterOverflowBorrowsTheNextMillisecond() {
        long now = wall.get();
        clock.observe(new Stamp(Stamp.hlc(now, 0xFFFF), 99));
        Stamp s = clock.next();
        assertThat(s.millis()).isEqualTo(now + 1);
        assertThat(s.counter()).isZero();
        assertThat(s).isGreaterThan(new Stamp(Stamp.hlc(now, 0xFFFF), 99));
    }

    @Test
    void manyStampsInOneMillisecondStayStrictlyIncreasing() {
        Stamp prev = clock.next();
        for (int i = 0; i < 200_000; i++) {
            Stamp s = clock.next();
            assertThat(s.hlc()).isGreaterThan(prev.hlc());
            prev = s;
        }
        assertThat(prev.millis()).isEqualTo(wall.get() + 200_000 / 65_536);
    }

    @Test
    void observingANewerRemoteStampMakesLaterLocalStampsNewer() {
        Stamp remote = new Stamp(Stamp.hlc(wall.get() + 30_000, 4), 3);
        clock.observe(remote);
        Stamp s = clock.next();
        assertThat(s).isGreaterThan(remote);
        assertThat(s.millis()).isEqualTo(wall.get() + 30_000);
        assertThat(s.counter()).isEqualTo(5);
    }

    @Test
    void observingAnOlderRemoteStampChangesNothing() {
        clock.next();
        clock.observe(new Stamp(Stamp.hlc(wall.get() - 60_000, 9), 3));
        Stamp s = clock.next();
        assertThat(s.millis()).isEqualTo(wall.get());
        assertThat(s.counter()).isEqualTo(1);
    }

    @Test
    void aRemoteStampBeyondTheDriftBoundIsRefusedNotAdopted() {
        Stamp farAhead = new Stamp(Stamp.hlc(wall.get() + HOUR + 1, 0), 3);
        assertThat(clock.isPlausible(farAhead)).isFalse();
        clock.observe(farAhead);
        assertThat(clock.refused()).isEqualTo(1);
        assertThat(clock.next().millis()).isEqualTo(wall.get());

        Stamp atTheBound = new Stamp(Stamp.hlc(wall.get() + HOUR, 0), 3);
        assertThat(clock.isPlausible(atTheBound)).isTrue();
        clock.observe(atTheBound);
        assertThat(clock.refused()).isEqualTo(1);
        assertThat(clock.next()).isGreaterThan(atTheBound);
    }

    @Test
    void stampsInThePastAreAlwaysPlausible() {
        assertThat(clock.isPlausible(new Stamp(0, 1))).isTrue();
        assertThat(clock.isPlausible(new Stamp(-1L, 1))).isFalse(); // 2^48 - 1 ms, far ahead
    }

    @Test
    void theNodeIdBreaksTiesBetweenEqualClocks() {
        HybridLogicalClock other = new HybridLogicalClock(8, wall::get, HOUR);
        Stamp mine = clock.next();
        Stamp theirs = other.next();
        assertThat(mine.hlc()).isEqualTo(theirs.hlc());
        assertThat(theirs).isGreaterThan(mine);
        clock.observe(theirs);
        assertThat(clock.next()).isGreaterThan(theirs);
    }

    @Test
    void worksOnAJavaTimeClock() {
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
        HybridLogicalClock c = HybridLogicalClock.of(5, fixed);
        assertThat(c.next().millis()).isEqualTo(1_000_000);
        assertThat(c.maxForwardDriftMillis()).isEqualTo(HybridLogicalClock.DEFAULT_MAX_FORWARD_DRIFT_MILLIS);
    }

    @Test
    void aWallClockBeforeTheEpochCountsAsZero() {
        wall.set(-5);
        Stamp s = clock.next();
        assertThat(s.millis()).isZero();
        assertThat(clock.next()).isGreaterThan(s);
    }

    @Test
    void concurrentCallersNeverGetTheSameStamp() throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] jobs = new Future<?>[4];
            for (int t = 0; t < jobs.length; t++) {
                jobs[t] = pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        seen.add(clock.next().hlc());
                    }
                });
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(80_000);
    }

    @Test
    void refusesNodeIdZero() {
        assertThatThrownBy(() -> new HybridLogicalClock(0, wall::get, HOUR))
                .hasMessageContaining("node id 0");
    }

    @Test
    void nodeIdsAreRandomNonZeroAndPrintAsHex() {
        long a = NodeId.random();
        long b = NodeId.random();
        assertThat(a).isNotZero().isNotEqualTo(b);
        assertThat(NodeId.format(0xABL)).isEqualTo("00000000000000ab");
    }
}
