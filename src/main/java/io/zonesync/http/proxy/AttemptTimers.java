package io.zonesync.http.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.http.core.DeadlineTimer;
import java.util.concurrent.TimeUnit;

/**
 * The two timers of an upstream attempt, on the request's event loop: {@code proxy_read_timeout}
 * between two reads (re-armed by each), {@code proxy_send_timeout} while the upstream connection
 * cannot take more of the request. The read timer is re-armed by every read, so it is a
 * {@link DeadlineTimer}.
 */
final class AttemptTimers {
    private final EventLoop loop;
    private final long readMs;
    private final long sendMs;
    private final DeadlineTimer read;
    private Runnable onReadTimeout;
    private ScheduledFuture<?> send;

    AttemptTimers(EventLoop loop, long readMs, long sendMs) {
        this.loop = loop;
        this.readMs = readMs;
        this.sendMs = sendMs;
        this.read = new DeadlineTimer(loop, this::readTimedOut);
    }

    /** Runs {@code onTimeout} (instead of an earlier one) when nothing re-arms it for the read timeout. */
    void armRead(Runnable onTimeout) {
        onReadTimeout = onTimeout;
        read.arm(readMs);
    }

    private void readTimedOut() {
        Runnable timeout = onReadTimeout;
        onReadTimeout = null;
        if (timeout != null) {
            timeout.run();
        }
    }

    /** Starts the send timer unless it runs already. */
    void armSend(Runnable onTimeout) {
        if (send == null) {
            send = loop.schedule(onTimeout, sendMs, TimeUnit.MILLISECONDS);
        }
    }

    void cancelSend() {
        cancel(send);
        send = null;
    }

    void cancelAll() {
        read.cancel();
        onReadTimeout = null;
        cancelSend();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
