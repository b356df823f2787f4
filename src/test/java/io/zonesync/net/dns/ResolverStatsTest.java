package io.zonesync.net.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each query and each way it ends lands in its own count, as NGINX Plus's resolver zone names them. */
class ResolverStatsTest {

    @Test
    void everyRcodeHasItsCountAndTheRestAreUnknown() {
        ResolverStats s = new ResolverStats();
        for (int rcode = 0; rcode <= 5; rcode++) {
            for (int i = 0; i <= rcode; i++) {
                s.answered(rcode); // rcode n counted n + 1 times, so that no two counts agree by chance
            }
        }
        s.answered(6); // YXDOMAIN
        s.answered(9); // NOTAUTH
        s.answered(23);
        assertThat(s.figures()).isEqualTo(new ResolverStats.Figures(0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 3));
    }

    @Test
    void queriesByKindTimeoutsAndFailures() {
        ResolverStats s = new ResolverStats();
        s.asked(ResolverStats.Query.NAME);
        s.asked(ResolverStats.Query.NAME);
        s.asked(ResolverStats.Query.SRV);
        s.timedOut();
        s.timedOut();
        s.failed();
        assertThat(s.figures()).isEqualTo(new ResolverStats.Figures(2, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1));
    }

    @Test
    void resetZeroesEveryCount() {
        ResolverStats s = new ResolverStats();
        s.asked(ResolverStats.Query.NAME);
        s.asked(ResolverStats.Query.SRV);
        s.answered(3);
        s.timedOut();
        s.failed();
        s.reset();
        assertThat(s.figures()).isEqualTo(new ResolverStats.Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        s.answered(0);
        assertThat(s.figures().noerror()).isEqualTo(1);
    }
}
