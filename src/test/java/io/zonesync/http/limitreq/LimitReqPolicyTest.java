package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.limitreq.LimitReqPolicy.Decision;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.log.Severity;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed request sequences against nginx's arithmetic: levels in milli-requests, time in ms. The
 * expected numbers are worked out by hand from the formula
 * {@code excess = max(0, excess - rate * ms / 1000 + 1000)}, delay {@code (excess - delay) * 1000 / rate}.
 */
class LimitReqPolicyTest {
    private final MutableClock clock = MutableClock.uptime();
    private final FakeRequest request = new FakeRequest();

    private LimitReqZone zone(String name, long rateMilli) {
        return new LimitReqZone(name, 1 << 20, "$k", rateMilli, clock);
    }

    private static LimitRule rule(LimitReqZone z, int burst, long delayMilli) {
        return new LimitRule(z, ComplexValue.constant("client"), burst * 1000L, delayMilli);
    }

    private static LimitReqPolicy policy(LimitRule... rules) {
        return new LimitReqPolicy(List.of(rules), 503, Severity.ERROR, false);
    }

    private String at(long ms, LimitReqPolicy p) {
        clock.at(ms);
        Decision d = p.decide(request);
        return d.status() + (d.delayMs() > 0 ? " " + d.delayMs() : "") + (d.httpStatus() > 0 ? " " + d.httpStatus() : "");
    }

    private static long stored(LimitReqZone z) {
        return z.storedExcess(LimitKey.of("client"));
    }

    @Test
    void oneRequestPerSecondWithoutBurst() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 0, 0));
        assertThat(at(0, p)).isEqualTo("PASSED");
        assertThat(at(500, p)).isEqualTo("REJECTED 503"); // 0 - 500 + 1000 = 500 > 0
        assertThat(stored(z)).as("a rejection changes nothing").isZero();
        assertThat(at(1000, p)).isEqualTo("PASSED"); // 0 - 1000 + 1000 = 0
        assertThat(at(1999, p)).isEqualTo("REJECTED 503"); // 0 - 999 + 1000 = 1
        assertThat(z.stats()).isEqualTo(new LimitReqStats(2, 0, 2, 0, 0));
    }

    @Test
    void burstDelaysByTheExcessOverTheRate() {
        LimitReqZone z = zone("one", 2000); // 2r/s
        LimitReqPolicy p = policy(rule(z, 3, 0));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(at(0, p));
        }
        // levels 0, 1000, 2000, 3000, then 4000 > 3000; delays 1000*1000/2000 = 500 ms per request
        assertThat(got).containsExactly("PASSED", "DELAYED 500", "DELAYED 1000", "DELAYED 1500", "REJECTED 503");
        assertThat(stored(z)).isEqualTo(3000);
        // 250 ms later: 3000 - 2000*250/1000 + 1000 = 3500 > 3000, rejected; at 500 ms: 3000 exactly
        assertThat(at(250, p)).isEqualTo("REJECTED 503");
        assertThat(at(500, p)).isEqualTo("DELAYED 1500");
        assertThat(z.stats()).isEqualTo(new LimitReqStats(1, 4, 2, 0, 0));
    }

    @Test
    void nodelayPassesTheBurstAtOnce() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 2, LimitRule.NO_DELAY));
        assertThat(List.of(at(0, p), at(0, p), at(0, p), at(0, p)))
                .containsExactly("PASSED", "PASSED", "PASSED", "REJECTED 503");
        assertThat(stored(z)).isEqualTo(2000);
    }

    @Test
    void delayParameterLetsTheFirstExcessRequestsThrough() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 4, 2000)); // burst=4 delay=2
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(at(0, p));
        }
        // levels 0, 1000, 2000 pass; 3000 and 4000 wait (level - 2000) ms at 1r/s; 5000 > 4000
        assertThat(got).containsExactly("PASSED", "PASSED", "PASSED", "DELAYED 1000", "DELAYED 2000", "REJECTED 503");
    }

    @Test
    void requestsPerMinuteLeakInMilliRequests() {
        LimitReqZone z = zone("one", 30 * 1000 / 60); // 30r/m = 500 milli-requests per second
        LimitReqPolicy p = policy(rule(z, 0, 0));
        assertThat(at(0, p)).isEqualTo("PASSED");
        assertThat(at(1000, p)).isEqualTo("REJECTED 503"); // 0 - 500 + 1000 = 500
        assertThat(at(1998, p)).isEqualTo("REJECTED 503"); // 0 - 999 + 1000 = 1
        assertThat(at(2000, p)).isEqualTo("PASSED");
        assertThat(at(2001, p)).isEqualTo("REJECTED 503"); // 1000*... 0 - 0 + 1000 (1 ms leaks 0)
    }

    @Test
    void aLongIdleBucketFloorsAtZeroNotBelow() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 2, LimitRule.NO_DELAY));
        at(0, p);
        at(0, p);
        at(0, p);
        assertThat(stored(z)).isEqualTo(2000);
        assertThat(at(3_600_000, p)).isEqualTo("PASSED"); // 2000 - 3600000 + 1000 < 0 -> 0
        assertThat(stored(z)).isZero();
        assertThat(List.of(at(3_600_000, p), at(3_600_000, p), at(3_600_000, p)))
                .containsExactly("PASSED", "PASSED", "REJECTED 503");
    }

    @Test
    void aRejectedRequestChargesNothing() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 1, LimitRule.NO_DELAY));
        assertThat(List.of(at(0, p), at(0, p), at(0, p), at(0, p)))
                .containsExactly("PASSED", "PASSED", "REJECTED 503", "REJECTED 503");
        assertThat(stored(z)).isEqualTo(1000);
        // had the rejections counted, the level would be 3000 and this one would fail too
        assertThat(at(1000, p)).isEqualTo("PASSED"); // 1000 - 1000 + 1000 = 1000 <= 1000
    }

    @Test
    void clockGoingBackALittleCountsAsNoTimeAndFarBackAsOneMillisecond() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = policy(rule(z, 5, LimitRule.NO_DELAY));
        at(10_000, p); // 0
        at(10_000, p); // 1000
        assertThat(at(9_000, p)).isEqualTo("PASSED"); // ms = 0: 1000 + 1000
        assertThat(stored(z)).isEqualTo(2000);
        at(-100_000, p); // ms < -60000 counts as 1: 2000 - 1 + 1000
        assertThat(stored(z)).isEqualTo(2999);
    }

    @Test
    void severalZonesChargeOnlyWhenAllPassAndTheLargestDelayWins() {
        LimitReqZone slow = zone("slow", 1000); // 1r/s
        LimitReqZone fast = zone("fast", 10_000); // 10r/s
        LimitReqPolicy p = policy(rule(slow, 5, 0), rule(fast, 5, 0));
        assertThat(at(0, p)).isEqualTo("PASSED");
        assertThat(stored(slow)).isZero();
        assertThat(stored(fast)).isZero();
        // slow: 1000 -> 1000 ms; fast: 1000 -> 100 ms; the larger wins and is logged for "slow"
        try (LogCapture log = new LogCapture("limit_req")) {
            assertThat(at(0, p)).isEqualTo("DELAYED 1000");
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("warn delaying request, excess: 1.000, by zone \"slow\", client: 192.0.2.7");
        }
        assertThat(slow.stats()).isEqualTo(new LimitReqStats(1, 1, 0, 0, 0));
        assertThat(fast.stats()).isEqualTo(new LimitReqStats(2, 0, 0, 0, 0));
    }

    @Test
    void aRejectionByALaterZoneReleasesTheEarlierOnesUncharged() {
        LimitReqZone wide = zone("wide", 10_000); // 10r/s, burst 5
        LimitReqZone narrow = zone("narrow", 1000); // 1r/s, burst 0
        LimitReqPolicy p = policy(rule(wide, 5, LimitRule.NO_DELAY), rule(narrow, 0, 0));
        assertThat(at(0, p)).isEqualTo("PASSED");
        try (LogCapture log = new LogCapture("limit_req")) {
            assertThat(at(10, p)).isEqualTo("REJECTED 503"); // narrow: 0 - 10 + 1000 = 990 > 0
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("error limiting requests, excess: 0.990 by zone \"narrow\"");
        }
        assertThat(stored(wide)).as("checked (900) but not charged").isZero();
        assertThat(wide.stats().rejected()).isZero();
        assertThat(narrow.stats().rejected()).isEqualTo(1);
    }

    @Test
    void aRejectionByAnEarlierZoneNeverLooksAtTheLaterOnes() {
        LimitReqZone first = zone("first", 1000);
        LimitReqZone second = zone("second", 1000);
        LimitReqPolicy p = policy(rule(first, 0, 0), rule(second, 0, 0));
        at(0, p);
        assertThat(at(100, p)).isEqualTo("REJECTED 503");
        assertThat(at(1000, p)).isEqualTo("PASSED");
        assertThat(stored(second)).isZero(); // 0 - 1000 + 1000: its state was last charged at 0
        assertThat(second.stats()).isEqualTo(new LimitReqStats(2, 0, 0, 0, 0));
    }

    @Test
    void aNewKeyInAnEarlierZoneStaysAtZeroWhenALaterZoneRejects() {
        LimitReqZone a = zone("a", 1000);
        LimitReqZone b = new LimitReqZone("b", 1 << 20, "$k", 1000, clock);
        LimitReqPolicy first = policy(new LimitRule(b, ComplexValue.constant("client"), 0, 0));
        at(0, first);
        LimitReqPolicy both = policy(rule(a, 0, 0), new LimitRule(b, ComplexValue.constant("client"), 0, 0));
        assertThat(at(10, both)).isEqualTo("REJECTED 503");
        assertThat(a.size()).isEqualTo(1);
        assertThat(stored(a)).isZero();
        // the state left behind looks infinitely old: the next request through it passes at level 0
        assertThat(at(1000, both)).isEqualTo("PASSED");
        assertThat(stored(a)).isZero();
    }

    @Test
    void anEmptyKeyIsNotCountedAndLeavesTheStatusUnset() throws Exception {
        LimitReqZone z = zone("one", 1000);
        ComplexValue arg = ComplexValue.compile("$arg_user", VariableRegistry.withCoreVariables(),
                null);
        LimitReqPolicy p = policy(new LimitRule(z, arg, 0, 0));
        Decision d = p.decide(request);
        assertThat(d.status()).isNull();
        assertThat(z.size()).isZero();
        request.args = "user=ann";
        assertThat(p.decide(request).status()).isEqualTo(LimitReqStatus.PASSED);
        assertThat(z.size()).isEqualTo(1);
    }

    @Test
    void aKeyOver65535BytesIsLoggedAndSkipped() throws Exception {
        LimitReqZone z = zone("one", 1000);
        ComplexValue arg = ComplexValue.compile("$arg_k", VariableRegistry.withCoreVariables(),
                null);
        LimitReqPolicy p = policy(new LimitRule(z, arg, 0, 0));
        request.args = "k=" + "x".repeat(65536);
        try (LogCapture log = new LogCapture("limit_req")) {
            assertThat(p.decide(request).status()).isNull();
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("error the value of the \"$arg_k\" key is more than 65535 bytes: \"xxx");
        }
        assertThat(z.size()).isZero();
        request.args = "k=" + "x".repeat(65535);
        assertThat(p.decide(request).status()).isEqualTo(LimitReqStatus.PASSED);
    }

    @Test
    void dryRunChargesAndReportsButNeverHoldsOrRejects() {
        LimitReqZone z = zone("one", 1000);
        LimitReqPolicy p = new LimitReqPolicy(List.of(rule(z, 1, 0)), 503, Severity.NOTICE, true);
        try (LogCapture log = new LogCapture("limit_req")) {
            assertThat(List.of(at(0, p), at(0, p), at(0, p)))
                    .containsExactly("PASSED", "DELAYED_DRY_RUN", "REJECTED_DRY_RUN");
            assertThat(log.lines()).containsExactly(
                    "info delaying request, dry run, excess: 1.000, by zone \"one\", client: 192.0.2.7, server:"
                            + " example.test, request: \"GET / HTTP/1.1\"",
                    "notice limiting requests, dry run, excess: 2.000 by zone \"one\", client: 192.0.2.7, server:"
                            + " example.test, request: \"GET / HTTP/1.1\"");
        }
        assertThat(stored(z)).isEqualTo(1000);
        assertThat(z.stats()).isEqualTo(new LimitReqStats(1, 0, 0, 1, 1));
    }

    @Test
    void excessIsPrintedAsIntegerDotMilli() {
        assertThat(LimitReqPolicy.milli(0)).isEqualTo("0.000");
        assertThat(LimitReqPolicy.milli(1500)).isEqualTo("1.500");
        assertThat(LimitReqPolicy.milli(12_007)).isEqualTo("12.007");
    }
}
