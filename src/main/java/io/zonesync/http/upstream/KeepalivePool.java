package io.zonesync.http.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle keep-alive connections of one upstream group ({@code keepalive N}): at most N per event
 * loop (nginx's "per worker"), the least recently used one closed when a new one would pass N.
 * An idle connection closes after {@code keepalive_timeout}, and a connection that has carried
 * {@code keepalive_requests} requests is not kept. Each event loop's connections are touched only
 * on that loop.
 *
 * <p>The timeout is one timer per event loop, due when the longest idle connection times out, not a
 * timer per connection: a connection is usually taken again within a millisecond, and scheduling
 * and cancelling a timer for each request was a measurable part of proxying one.
 */
public final class KeepalivePool {
    private static final AttributeKey<Integer> REQUESTS = AttributeKey.valueOf("zonesync.upstream.requests");

    private final int max;
    private final long timeoutMs;
    private final int maxRequests;
    private final Map<EventLoop, LoopIdle> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    private record Idle(Peer peer, Channel channel, long since, ChannelFutureListener onClose) {
    }

    /** One event loop's idle connections, longest idle first, and its timeout timer. */
    private final class LoopIdle {
        final EventLoop loop;
        final ArrayDeque<Idle> queue = new ArrayDeque<>();
        final Runnable sweep = this::sweep;
        ScheduledFuture<?> timer;

        LoopIdle(EventLoop loop) {
            this.loop = loop;
        }

        void add(Idle i) {
            queue.addLast(i);
            if (timer == null) {
                timer = loop.schedule(sweep, timeoutMs, TimeUnit.MILLISECONDS);
            }
        }

        /** Closes the connections idle for the timeout; runs again when the next one is due. */
        private void sweep() {
            timer = null;
            long now = System.nanoTime();
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            Idle first;
            while ((first = queue.peekFirst()) != null && now - first.since() >= timeoutNanos) {
                queue.pollFirst();
                detach(first);
                first.channel().close();
            }
            if (first != null) {
                timer = loop.schedule(sweep, first.since() + timeoutNanos - now, TimeUnit.NANOSECONDS);
            }
        }
    }

    KeepalivePool(int max, long timeoutMs, int maxRequests) {
        this.max = max;
        this.timeoutMs = timeoutMs;
        this.maxRequests = maxRequests;
    }

    public boolean enabled() {
        return max > 0;
    }

    /** Idle connections now, over all event loops. */
    public int idleCount() {
        return idleCount.get();
    }

    /** The most recently idled open connection to {@code peer} on {@code loop}, or null. Call on the loop. */
    public Channel acquire(EventLoop loop, Peer peer) {
        LoopIdle l = idle.get(loop);
        if (l == null) {
            return null;
        }
        for (Iterator<Idle> it = l.queue.descendingIterator(); it.hasNext();) {
            Idle i = it.next();
            if (i.peer() == peer) {
                it.remove();
                detach(i);
                if (i.channel().isActive()) {
                    return i.channel();
                }
                i.channel().close();
            }
        }
        return null;
    }

    /**
     * Offers a connection whose exchange completed cleanly; closes it instead when the pool is off,
     * the connection has carried {@code keepalive_requests}, or it is not open. Call on the loop.
     */
    public void release(EventLoop loop, Peer peer, Channel ch) {
        Integer served = ch.attr(REQUESTS).get();
        int requests = served == null ? 1 : served + 1;
        ch.attr(REQUESTS).set(requests);
        if (max <= 0 || requests >= maxRequests || !ch.isActive()) {
            ch.close();
            return;
        }
        LoopIdle l = idle.computeIfAbsent(loop, LoopIdle::new);
        if (l.queue.size() >= max) {
            Idle oldest = l.queue.pollFirst();
            detach(oldest);
            oldest.channel().close();
        }
        Idle[] self = new Idle[1];
        ChannelFutureListener onClose = f -> {
            if (l.queue.remove(self[0])) {
                detach(self[0]);
            }
        };
        self[0] = new Idle(peer, ch, System.nanoTime(), onClose);
        l.add(self[0]);
        idleCount.incrementAndGet();
        ch.closeFuture().addListener(onClose);
    }

    private void detach(Idle i) {
        idleCount.decrementAndGet();
        i.channel().closeFuture().removeListener(i.onClose());
    }
}
