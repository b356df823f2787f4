package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerHealthTest {

    private static PeerHealth run(PeerHealth h, int fails, int passes, boolean... verdicts) {
        for (boolean v : verdicts) {
            h = h.after(v, fails, passes);
        }
        return h;
    }

    @Test
    void failsInARowMakeItUnhealthyAndPassesInARowBringItBack() {
        PeerHealth h = run(PeerHealth.UNCHECKED, 3, 2, false, false, true, false, false);
        assertThat(h.unhealthy()).as("a pass broke the row").isFalse();
        h = run(h, 3, 2, false);
        assertThat(h.unhealthy()).isTrue();
        assertThat(h.unhealthyTimes()).isEqualTo(1);
        h = run(h, 3, 2, true, false, true);
        assertThat(h.unhealthy()).as("a fail broke the row of passes").isTrue();
        h = run(h, 3, 2, true);
        assertThat(h.unhealthy()).isFalse();
        assertThat(h.checks()).isEqualTo(10);
        assertThat(h.fails()).isEqualTo(6);
        assertThat(h.lastPassed()).isTrue();
        assertThat(run(h, 3, 2, false, false, false, false).unhealthyTimes()).as("counted once per outage").isEqualTo(2);
    }

    @Test
    void mandatoryChecksDecideOnTheFirstCheck() {
        PeerHealth checking = PeerHealth.UNCHECKED.restart(true, false);
        assertThat(checking.checking()).isTrue();
        assertThat(checking.excludes()).isTrue();
        PeerHealth passed = checking.after(true, 1, 5);
        assertThat(passed.excludes()).as("one pass suffices, whatever passes=").isFalse();
        PeerHealth failed = checking.after(false, 5, 1);
        assertThat(failed.unhealthy()).as("one fail suffices, whatever fails=").isTrue();
        assertThat(failed.checking()).isFalse();
    }

    @Test
    void persistentKeepsAHealthyServerUpAcrossAReloadOnly() {
        PeerHealth healthy = PeerHealth.UNCHECKED.after(true, 1, 1);
        PeerHealth sick = PeerHealth.UNCHECKED.after(false, 1, 1);
        assertThat(healthy.restart(true, true).excludes()).isFalse();
        assertThat(sick.restart(true, true).checking()).isTrue();
        assertThat(healthy.restart(true, false).checking()).isTrue();
        assertThat(sick.restart(false, false).excludes()).as("without mandatory, servers start healthy").isFalse();
        assertThat(sick.restart(false, false).checks()).as("the counters stay").isEqualTo(1);
    }

    @Test
    void severalChecksTogetherCountEveryCheckAndEachTimeTheServerBecameUnhealthy() {
        PeerHealth h = PeerHealth.UNCHECKED.judged(false, false, false);
        assertThat(h.excludes()).as("a failure the other checks' rows do not make unhealthy").isFalse();
        h = h.judged(false, true, false);
        assertThat(h.unhealthy()).isTrue();
        assertThat(h.unhealthyTimes()).isEqualTo(1);
        h = h.judged(false, true, false);
        assertThat(h.unhealthyTimes()).as("still unhealthy: not again").isEqualTo(1);
        h = h.judged(true, false, false);
        assertThat(h.excludes()).isFalse();
        assertThat(h.checks()).isEqualTo(4);
        assertThat(h.fails()).isEqualTo(3);
        assertThat(h.lastPassed()).isTrue();
        assertThat(h.judged(true, false, true).checking()).isTrue();
    }
}
