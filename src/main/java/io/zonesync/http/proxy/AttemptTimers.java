package io.zonesync.http.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two timers of an upstream attempt, on the request's event loop: {@code proxy_read_timeout}
 * between two reads (re-armed by each), {@code proxy_send_timeout} while the upstream connection
 * cannot take more of the request.
 *
 * <p>Re-arming the read timer only moves its deadline: the scheduled task, when it runs early,
 * schedules itself again for the time left. Cancelling and scheduling a task on every read (three
 * or four times per proxied request) kept the event loop's timer queue busy for nothing.
 */
final class AttemptTimers {
    private final EventLoop loop;
    private final long readMs;
    private final long sendMs;
    private final Runnable readCheck = this::readCheck;
    private ScheduledFuture<?> read;
    private long readDeadline;
    private Runnable onReadTimeout;
    private ScheduledFuture<?> send;

    AttemptTimers(EventLoop loop, long readMs, long sendMs) {
        this.loop = loop;
        this.readMs = readMs;
        this.sendMs = sendMs;
    }

    /** Runs {@code onTimeout} (instead of an earlier one) when nothing re-arms it for the read timeout. */
    void armRead(Runnable onTimeout) {
        onReadTimeout = onTimeout;
        readDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readMs);
        if (read == null) {
            read = loop.schedule(readCheck, readMs, TimeUnit.MILLISECONDS);
        }
    }

    private void readCheck() {
        long left = readDeadline - System.nanoTime();
        if (left > 0) {
            read = loop.schedule(readCheck, left, TimeUnit.NANOSECONDS);
            return;
        }
        read = null;
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
        cancel(read);
        read = null;
        onReadTimeout = null;
        cancelSend();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
