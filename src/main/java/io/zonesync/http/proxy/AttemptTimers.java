package io.zonesync.http.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two timers of an upstream attempt, on the request's event loop: {@code proxy_read_timeout}
 * between two reads (re-armed by each), {@code proxy_send_timeout} while the upstream connection
 * cannot take more of the request.
 */
final class AttemptTimers {
    private final EventLoop loop;
    private final long readMs;
    private final long sendMs;
    private ScheduledFuture<?> read;
    private ScheduledFuture<?> send;

    AttemptTimers(EventLoop loop, long readMs, long sendMs) {
        this.loop = loop;
        this.readMs = readMs;
        this.sendMs = sendMs;
    }

    void armRead(Runnable onTimeout) {
        cancel(read);
        read = loop.schedule(onTimeout, readMs, TimeUnit.MILLISECONDS);
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
        cancelSend();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
