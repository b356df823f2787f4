package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
    private final MutableClock clock = new MutableClock(1_000_000L);

    @Test
    void clientsStopShortOfTheReserveWhichSyncLinksMayUse() {
        ConnectionLimit limit = ConnectionLimit.of(16, clock);
        limit.configure(16, true);
        assertThat(ConnectionLimit.reserveFor(16)).isEqualTo(2);
        limit.listening(new EmbeddedChannel());
        for (int i = 0; i < 13; i++) {
            assertThat(limit.admitClient(new EmbeddedChannel())).as("client %d", i).isTrue();
        }
        try (LogCapture log = new LogCapture()) {
            assertThat(limit.admitClient(new EmbeddedChannel())).as("a client past 14 of 16").isFalse();
            assertThat(log.lines()).containsExactly("alert 16 worker_connections are not enough (2 of them kept for"
                    + " zone_sync links)");
        }
        assertThat(limit.admitSync(new EmbeddedChannel())).isTrue();
        assertThat(limit.admitSync(new EmbeddedChannel())).isTrue();
        try (LogCapture log = new LogCapture()) {
            clock.advance(ConnectionLimit.LOG_INTERVAL_MS);
            assertThat(limit.admitSync(new EmbeddedChannel())).as("a link past 16").isFalse();
            assertThat(log.lines()).containsExactly("alert 16 worker_connections are not enough");
        }
        assertThat(limit.open()).isEqualTo(16);
    }

    @Test
    void aClosedConnectionGivesItsSlotBack() {
        ConnectionLimit limit = ConnectionLimit.of(2, clock);
        EmbeddedChannel first = new EmbeddedChannel();
        assertThat(limit.admitClient(first)).isTrue();
        assertThat(limit.admitClient(new EmbeddedChannel())).isTrue();
        assertThat(limit.admitClient(new EmbeddedChannel())).isFalse();
        first.close();
        assertThat(limit.open()).isEqualTo(1);
        assertThat(limit.admitClient(new EmbeddedChannel())).isTrue();
    }

    @Test
    void aDialledSlotIsGivenBackWhenTheConnectFailsAndKeptWhileTheConnectionLives() {
        ConnectionLimit limit = ConnectionLimit.of(1, clock);
        assertThat(limit.takeClientSlot()).isTrue();
        assertThat(limit.takeClientSlot()).isFalse();
        limit.release();
        assertThat(limit.takeClientSlot()).isTrue();
        EmbeddedChannel upstream = new EmbeddedChannel();
        limit.holdUntilClosed(upstream);
        assertThat(limit.open()).isEqualTo(1);
        upstream.close();
        assertThat(limit.open()).isZero();
    }

    @Test
    void theAlertIsWrittenOncePerIntervalAndCountsWhatItLeftOut() {
        ConnectionLimit limit = ConnectionLimit.of(1, clock);
        assertThat(limit.admitClient(new EmbeddedChannel())).isTrue();
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                assertThat(limit.admitClient(new EmbeddedChannel())).isFalse();
            }
            clock.advance(ConnectionLimit.LOG_INTERVAL_MS);
            assertThat(limit.admitClient(new EmbeddedChannel())).isFalse();
            assertThat(log.lines()).containsExactly("alert 1 worker_connections are not enough",
                    "alert 1 worker_connections are not enough (repeated 5 times in the last 5s)");
        }
    }
}
