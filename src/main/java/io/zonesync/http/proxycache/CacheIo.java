package io.zonesync.http.proxycache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where the proxy cache's disk work runs instead of the event loops (as nginx's {@code aio threads}):
 * reading metadata and bodies, writing temporary files, renaming them into place. A bounded pool of
 * {@link #THREADS} daemon threads ("zonesync-cache-io") with a bounded queue; work the queue cannot
 * take fails, as a disk error would. The threads start with the first cache lookup and end when idle.
 */
final class CacheIo {
    static final int THREADS = 4;
    private static final int QUEUE = 65536;
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();

    private CacheIo() {
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "zonesync-cache-io-" + NUMBER.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** The executor itself, for chaining. */
    static Executor executor() {
        return POOL;
    }

    /** Runs {@code work} on the pool; the future fails if the pool's queue is full. */
    static <T> CompletableFuture<T> supply(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, POOL);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
