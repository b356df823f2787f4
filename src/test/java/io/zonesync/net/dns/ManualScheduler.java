package io.zonesync.net.dns;

import java.util.PriorityQueue;

/** A {@link Scheduler} whose time only moves when the test says so; tasks run on the test's thread. */
public final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long seq;

    private static final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay " + delayMs + " ms is negative");
        }
        Task t = new Task(now + delayMs, seq++, task);
        tasks.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    public long now() {
        return now;
    }

    /** Runs what is due now (and what that schedules for now). */
    public void runDue() {
        advance(0);
    }

    /** Moves time forward by {@code ms}, running each task at its due time. */
    public void advance(long ms) {
        long target = now + ms;
        while (true) {
            Task t;
            synchronized (this) {
                t = tasks.peek();
                if (t == null || t.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = t.due;
            }
            if (!t.cancelled) {
                t.body.run();
            }
        }
    }
}
