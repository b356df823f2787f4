package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.testing.LogCapture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceptErrorsTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void outOfFilesPausesAcceptingForHalfASecondAndLogsInNginxsWords() {
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("127.0.0.1:8080", false, nanos::get));
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
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("127.0.0.1:8080", true, nanos::get));
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 4; i++) {
                listener.pipeline().fireExceptionCaught(new IOException("Too many open files in system"));
                listener.advanceTimeBy(AcceptErrors.PAUSE_MS, TimeUnit.MILLISECONDS);
                listener.runScheduledPendingTasks();
                nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(AcceptErrors.PAUSE_MS));
            }
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(AcceptErrors.LOG_INTERVAL_MS));
            listener.pipeline().fireExceptionCaught(new IOException("Too many open files in system"));
            assertThat(log.lines()).containsExactly(
                    "crit accept4() failed (23: Too many open files in system) while accepting new connection on"
                            + " 127.0.0.1:8080",
                    "crit accept4() failed (23: Too many open files in system) while accepting new connection on"
                            + " 127.0.0.1:8080 (3 more since the last report)");
        }
    }

    @Test
    void otherAcceptFailuresAreLoggedWithoutAPause() {
        EmbeddedChannel listener = new EmbeddedChannel(AcceptErrors.of("[::]:80", true, nanos::get));
        try (LogCapture log = new LogCapture()) {
            listener.pipeline().fireExceptionCaught(new IOException("Software caused connection abort"));
            assertThat(listener.config().isAutoRead()).isTrue();
            assertThat(log.lines()).containsExactly("error accept4() failed (103: Software caused connection abort)"
                    + " while accepting new connection on [::]:80");
        }
    }
}
