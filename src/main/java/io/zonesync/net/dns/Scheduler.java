package io.zonesync.net.dns;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where discovery runs its timers and its work: one thread, tasks in order. Production uses a
 * Netty event loop ({@link #on}); tests use a scheduler whose time they move by hand.
 */
public interface Scheduler {

    /** Runs {@code task} once, {@code delayMs} from now. */
    Cancellable schedule(Runnable task, long delayMs);

    /** Runs {@code task} as soon as possible, after the tasks already submitted. */
    void execute(Runnable task);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }

    /** Runs everything on {@code executor} (for example one event loop of the node's transport). */
    static Scheduler on(EventExecutor executor) {
        return new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, long delayMs) {
                var f = executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }
        };
    }
}
