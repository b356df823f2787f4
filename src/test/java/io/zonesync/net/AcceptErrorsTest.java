package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptErrorsTest {
    private final MutableClock clock = new MutableClock(1_000_000L);

    @Test
    void outOfFilesPausesAcceptingForHalfASecondAndLogsInNginxsWords() {
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("127.0.0.1:8080", false, clock));
        listener.freezeTime(); // the pause is timed by the channel's clock alone, not by a slow machine's
        try (LogCapture log = new LogCapture()) {
            listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
            assertThat(listener.config().isAutoRead()).as("accepting paused").isFalse();
            assertThat(log.lines()).containsExactly(
                    "crit accept() failed (24: Too many open files) while accepting new connection on 127.0.0.1:8080");
        }
        listener.advanceTimeBy(AcceptErrors.PAUSE_MS - 1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();
        assertThat(listener.isOpen()).isTrue();
        listener.checkException(); // nothing went on down the pipeline
    }

    @Test
    void aListenerThatKeepsFailingLogsOncePerIntervalWithTheCountLeftOut() {
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("127.0.0.1:8080", true, clock));
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 4; i++) {
                listener.pipeline().fireExceptionCaught(new IOException("Too many open files in system"));
                listener.advanceTimeBy(AcceptErrors.PAUSE_MS, TimeUnit.MILLISECONDS);
                listener.runScheduledPendingTasks();
                clock.advance(AcceptErrors.PAUSE_MS);
            }
            clock.advance(AcceptErrors.LOG_INTERVAL_MS);
            listener.pipeline().fireExceptionCaught(new IOException("Too many open files in system"));
            assertThat(log.lines()).containsExactly(
                    "crit accept4() failed (23: Too many open files in system) while accepting new connection on"
                            + " 127.0.0.1:8080",
                    "crit accept4() failed (23: Too many open files in system) while accepting new connection on"
                            + " 127.0.0.1:8080 (repeated 4 times in the last 7s)");
        }
    }

    @Test
    void otherAcceptFailuresAreLoggedWithoutAPause() {
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("[::]:80", true, clock));
        try (LogCapture log = new LogCapture()) {
            listener.pipeline().fireExceptionCaught(new IOException("Software caused connection abort"));
            assertThat(listener.config().isAutoRead()).isTrue();
            assertThat(log.lines()).containsExactly("error accept4() failed (103: Software caused connection abort)"
                    + " while accepting new connection on [::]:80");
        }
    }
}
