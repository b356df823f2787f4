package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The timing variables as nginx writes them: seconds with milliseconds, one per attempt, "-" for a phase never reached. */
class UpstreamTrailTest {
    private final MutableClock clock = MutableClock.uptime();
    private final UpstreamTrail trail = new UpstreamTrail(() -> clock.millis() * 1_000_000); // its time in nanoseconds

    private void advanceMs(long ms) {
        clock.advance(ms);
    }

    @Test
    void aFailedConnectThenAServedAttempt() {
        assertThat(trail.responseTimes()).isNull();
        trail.attempt("10.0.0.1:80");
        advanceMs(3);
        trail.ended(); // refused
        trail.attempt("10.0.0.2:80");
        advanceMs(1);
        trail.connected();
        advanceMs(1_250);
        trail.headerReceived();
        advanceMs(40);
        assertThat(trail.responseTimes()).as("an attempt still going counts to now").isEqualTo("0.003, 1.291");
        trail.ended();
        advanceMs(500);
        trail.ended(); // a second end changes nothing
        assertThat(trail.connectTimes()).isEqualTo("-, 0.001");
        assertThat(trail.headerTimes()).isEqualTo("-, 1.251");
        assertThat(trail.responseTimes()).isEqualTo("0.003, 1.291");
    }
}
