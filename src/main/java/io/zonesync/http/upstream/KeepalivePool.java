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
 */
public final class KeepalivePool {
    private static final AttributeKey<Integer> REQUESTS = AttributeKey.valueOf("zonesync.upstream.requests");

    private final int max;
    private final long timeoutMs;
    private final int maxRequests;
    private final Map<EventLoop, ArrayDeque<Idle>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    private record Idle(Peer peer, Channel channel, ScheduledFuture<?> timer, ChannelFutureListener onClose) {
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
        ArrayDeque<Idle> q = idle.get(loop);
        if (q == null) {
            return null;
        }
        for (Iterator<Idle> it = q.descendingIterator(); it.hasNext();) {
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
        ArrayDeque<Idle> q = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
        if (q.size() >= max) {
            Idle oldest = q.pollFirst();
            detach(oldest);
            oldest.channel().close();
        }
        Idle[] self = new Idle[1];
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (q.remove(self[0])) {
                detach(self[0]);
                ch.close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        ChannelFutureListener onClose = f -> {
            if (q.remove(self[0])) {
                detach(self[0]);
            }
        };
        self[0] = new Idle(peer, ch, timer, onClose);
        q.addLast(self[0]);
        idleCount.incrementAndGet();
        ch.closeFuture().addListener(onClose);
    }

    private void detach(Idle i) {
        idleCount.decrementAndGet();
        i.timer().cancel(false);
        i.channel().closeFuture().removeListener(i.onClose());
    }
}
