package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.log.Severity;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zone's memory: a byte budget, nginx's least-recently-used eviction and its 60 s idle expiry. */
class LimitReqZoneTest {
    private final MutableClock clock = MutableClock.uptime();
    /** 32k holds 227 states of a 16-byte key (128 + 16 bytes each). */
    private final LimitReqZone zone = new LimitReqZone("one", 32 * 1024, "$k", 1000, clock);

    private static LimitKey key(int i) {
        return LimitKey.of(String.format("key-%012d", i)); // 16 bytes
    }

    private LimitReqZone.Outcome hit(int i) {
        return zone.lookup(key(i), 0, true).outcome();
    }

    @Test
    void theBudgetIsBytesAndTheLeastRecentlyUsedStateGoesWhenFull() {
        for (int i = 0; i < 227; i++) {
            assertThat(hit(i)).isEqualTo(LimitReqZone.Outcome.OK);
        }
        assertThat(zone.size()).isEqualTo(227);
        assertThat(zone.usedBytes()).isEqualTo(227 * 144);
        hit(0); // rejected, but a lookup still makes key 0 the most recently used
        assertThat(hit(227)).isEqualTo(LimitReqZone.Outcome.OK);
        assertThat(zone.size()).isEqualTo(227);
        assertThat(zone.storedExcess(key(1))).as("key 1 was the least recently used").isEqualTo(-1);
        assertThat(zone.storedExcess(key(0))).isZero();
        assertThat(zone.storedExcess(key(227))).isZero();
    }

    @Test
    void statesIdleForAMinuteAndDrainedGoTwoAtATimeBeforeAnyAllocation() {
        for (int i = 0; i < 5; i++) {
            hit(i);
        }
        clock.at(59_999);
        hit(100);
        assertThat(zone.size()).as("not idle long enough").isEqualTo(6);
        clock.at(60_000);
        hit(101);
        assertThat(zone.size()).isEqualTo(5); // keys 0 and 1 went, 101 came
        assertThat(zone.storedExcess(key(0))).isEqualTo(-1);
        assertThat(zone.storedExcess(key(1))).isEqualTo(-1);
        assertThat(zone.storedExcess(key(2))).isZero();
    }

    @Test
    void anIdleStateThatHasNotDrainedStays() {
        LimitReqZone z = new LimitReqZone("one", 32 * 1024, "$k", 1000, clock);
        for (int i = 0; i < 100; i++) {
            z.lookup(key(0), 1_000_000, true); // level 99000 at 1r/s: drains in 99 s
        }
        clock.at(60_000);
        z.lookup(key(1), 0, true);
        assertThat(z.size()).isEqualTo(2);
        clock.at(99_000);
        z.lookup(key(2), 0, true);
        assertThat(z.size()).as("99000 - 99000 <= 0: drained").isEqualTo(2);
        assertThat(z.storedExcess(key(0))).isEqualTo(-1);
    }

    @Test
    void aFullZoneWhoseTailIsHeldByARequestInFlightRejectsNewKeys() {
        LimitReqZone z = new LimitReqZone("one", 32 * 1024, "$k", 1000, clock);
        LimitReqZone.Lookup pinned = z.lookup(key(0), 0, false);
        assertThat(pinned.outcome()).isEqualTo(LimitReqZone.Outcome.AGAIN);
        for (int i = 1; i < 227; i++) {
            z.lookup(key(i), 0, true);
        }
        // key 0 is the tail and pinned: nginx stops there and the allocation fails
        try (LogCapture log = new LogCapture(LimitReqZone.class.getName())) {
            assertThat(z.lookup(key(500), 0, true).outcome()).isEqualTo(LimitReqZone.Outcome.ERROR);
            assertThat(log.lines()).containsExactly("alert could not allocate node in limit_req zone \"one\"");
        }
        z.release(pinned.pinned());
        assertThat(z.lookup(key(500), 0, true).outcome()).isEqualTo(LimitReqZone.Outcome.OK);
    }

    @Test
    void aRequestThatFindsNoMemoryIsRejectedWithTheConfiguredStatus() {
        LimitReqZone z = new LimitReqZone("one", 32 * 1024, "$k", 1000, clock);
        LimitReqZone.Lookup pinned = z.lookup(LimitKey.of("hog"), 0, false);
        for (int i = 1; z.usedBytes() + 144 <= 32 * 1024; i++) {
            z.lookup(key(i), 0, true);
        }
        FakeRequest r = new FakeRequest();
        LimitReqPolicy p = new LimitReqPolicy(List.of(new LimitRule(z, ComplexValue.constant("newcomer-key-0123"), 0,
                0)), 429, Severity.ERROR, false);
        LimitReqPolicy.Decision d = p.decide(r);
        assertThat(d.status()).isEqualTo(LimitReqStatus.REJECTED);
        assertThat(d.httpStatus()).isEqualTo(429);
        z.release(pinned.pinned());
    }

    @Test
    void theKeyCostsItsBytesOnTopOfTheState() {
        zone.lookup(LimitKey.of("a"), 0, true);
        zone.lookup(LimitKey.of("\u00ff\u00fe"), 0, true); // two bytes, as $binary_remote_addr's characters
        zone.lookup(LimitKey.of("\u20ac"), 0, true); // text: UTF-8, three bytes
        assertThat(zone.usedBytes()).isEqualTo(3 * 128 + 1 + 2 + 3);
    }

    @Test
    void zonesBelowEightPagesAreRefused() {
        assertThatThrownBy(() -> new LimitReqZone("one", 32 * 1024 - 1, "$k", 1000, clock))
                .hasMessageContaining("zone \"one\" of 32767 bytes is smaller than 32768");
    }
}
