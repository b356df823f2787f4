package io.zonesync.http.core;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that is re-armed often and rarely fires (a connection's keep-alive and read timeouts,
 * an upstream's proxy_read_timeout). Arming it again only moves its deadline: the scheduled task,
 * when it comes early, schedules itself for the time left, and is replaced only when the new
 * deadline is earlier than the task. Cancelling and scheduling a task on every re-arm, two to four
 * times per request, kept the event loop's timer queue busy for nothing. Event loop only.
 */
public final class DeadlineTimer {
    private static final long DISARMED = Long.MAX_VALUE;

    private final EventExecutor loop;
    private final Runnable onTimeout;
    private final Runnable task = this::fired;
    /** The scheduled task, due at {@link #taskDue}; it may be early for {@link #deadline}, never late. */
    private ScheduledFuture<?> scheduled;
    private long taskDue;
    /** When the armed timeout passes, in nanoTime; {@link #DISARMED} when none is. */
    private long deadline = DISARMED;

    public DeadlineTimer(EventExecutor loop, Runnable onTimeout) {
        this.loop = loop;
        this.onTimeout = onTimeout;
    }

    /** Runs the timeout once {@code ms} pass without another arm or a disarm; replaces what was armed. */
    public void arm(long ms) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (scheduled != null && taskDue - deadline <= 0) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        schedule(deadline);
    }

    /** Disarms it; a task already scheduled stays, and does nothing when it runs disarmed. */
    public void disarm() {
        deadline = DISARMED;
    }

    /** Disarms it and drops the scheduled task (the owner is going away). */
    public void cancel() {
        deadline = DISARMED;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    private void schedule(long due) {
        taskDue = due;
        scheduled = loop.schedule(task, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void fired() {
        scheduled = null;
        if (deadline == DISARMED) {
            return;
        }
        if (deadline - System.nanoTime() > 0) {
            schedule(deadline);
            return;
        }
        deadline = DISARMED;
        onTimeout.run();
    }
}
