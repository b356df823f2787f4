package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.testing.LogCapture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void clientsStopShortOfTheReserveWhichSyncLinksMayUse() {
        ConnectionLimit limit = ConnectionLimit.of(16, nanos::get);
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
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ConnectionLimit.LOG_INTERVAL_MS));
            assertThat(limit.admitSync(new EmbeddedChannel())).as("a link past 16").isFalse();
            assertThat(log.lines()).containsExactly("alert 16 worker_connections are not enough");
        }
        assertThat(limit.open()).isEqualTo(16);
    }

    @Test
    void aClosedConnectionGivesItsSlotBack() {
        ConnectionLimit limit = ConnectionLimit.of(2, nanos::get);
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
        ConnectionLimit limit = ConnectionLimit.of(1, nanos::get);
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
        ConnectionLimit limit = ConnectionLimit.of(1, nanos::get);
        assertThat(limit.admitClient(new EmbeddedChannel())).isTrue();
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                assertThat(limit.admitClient(new EmbeddedChannel())).isFalse();
            }
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ConnectionLimit.LOG_INTERVAL_MS));
            assertThat(limit.admitClient(new EmbeddedChannel())).isFalse();
            assertThat(log.lines()).containsExactly("alert 1 worker_connections are not enough",
                    "alert 1 worker_connections are not enough (4 more since the last report)");
        }
    }
}
