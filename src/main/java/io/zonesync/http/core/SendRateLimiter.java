package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces the bytes of one response as nginx's {@code limit_rate} does: once {@code after} bytes
 * have gone, at most {@code rate} bytes a second counted from the response's start plus one
 * second ({@code rate * (elapsed + 1s) - (sent - after)} may go now; when that is not positive the
 * rest waits as long as nginx would wait). It sits below the HTTP codec, so headers and body count
 * alike; a file (FileRegion) is read out a piece at a time. While more than {@link #HIGH_WATER}
 * bytes wait here, the channel reports itself unwritable, so a proxied body stops being read
 * upstream. Between paced responses it passes everything through. Event loop only.
 */
final class SendRateLimiter extends ChannelDuplexHandler {
    static final int HIGH_WATER = 64 * 1024;
    /** The writability bit this handler owns (Netty's user-defined writability). */
    private static final int WRITABILITY_BIT = 3;
    private static final int PIECE = 16 * 1024;

    private record Pending(Object msg, ChannelPromise promise) {
    }

    private final LongSupplier nanos;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private long rate;
    private long after;
    private long startNanos;
    private long sent;
    private long queuedBytes;
    private boolean timerArmed;
    private boolean active;

    SendRateLimiter(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Paces what is written from now on at {@code rate} bytes a second after the first {@code after}. */
    void start(long rate, long after) {
        this.rate = rate;
        this.after = after;
        this.startNanos = nanos.getAsLong();
        this.sent = 0;
        this.active = true;
    }

    /** The response ended: what is still queued goes at the pace set, then everything passes through. */
    void stop() {
        active = false;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!active && queue.isEmpty()) {
            ctx.write(msg, promise);
            return;
        }
        queue.add(new Pending(msg, promise));
        queuedBytes += size(msg);
        updateWritability();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (queue.isEmpty()) {
            ctx.flush();
        } else if (!timerArmed) {
            pump();
        }
    }

    /** Sends what the pace allows now, and arms the timer for the rest (run by flush, or by the timer). */
    private void pump() {
        timerArmed = false;
        boolean wrote = false;
        while (!queue.isEmpty()) {
            long allowed = allowed();
            if (allowed <= 0) {
                long delayMs = -allowed * 1000 / rate + 1;
                timerArmed = true;
                ctx.executor().schedule(this::pump, delayMs, TimeUnit.MILLISECONDS);
                break;
            }
            Pending head = queue.peek();
            wrote = true;
            if (head.msg() instanceof ByteBuf buf) {
                if (buf.readableBytes() <= allowed) {
                    queue.poll();
                    send(buf, head.promise(), buf.readableBytes());
                } else {
                    int n = (int) Math.min(allowed, Integer.MAX_VALUE);
                    send(buf.readRetainedSlice(n), ctx.voidPromise(), n);
                }
            } else if (head.msg() instanceof FileRegion region) {
                int n = (int) Math.min(Math.min(allowed, PIECE), region.count() - region.transferred());
                ByteBuf piece = ctx.alloc().buffer(Math.max(n, 1));
                try {
                    region.transferTo(new Into(piece, n), region.transferred());
                } catch (IOException e) {
                    piece.release();
                    failAll(e);
                    return;
                }
                boolean last = region.transferred() >= region.count();
                if (last) {
                    queue.poll();
                    region.release();
                }
                send(piece, last ? head.promise() : ctx.voidPromise(), piece.readableBytes());
            } else {
                queue.poll();
                ctx.write(head.msg(), head.promise()); // not bytes: nothing to count
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateWritability();
    }

    private void send(ByteBuf buf, ChannelPromise promise, int n) {
        sent += n;
        queuedBytes -= n;
        ctx.write(buf, promise);
    }

    private long allowed() {
        if (!active || rate <= 0) {
            return Long.MAX_VALUE;
        }
        long elapsedMs = (nanos.getAsLong() - startNanos) / 1_000_000;
        return rate * (elapsedMs + 1000) / 1000 - (sent - after);
    }

    private void updateWritability() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null) {
            out.setUserDefinedWritability(WRITABILITY_BIT, queuedBytes <= HIGH_WATER);
        }
    }

    private void failAll(Throwable cause) {
        Pending p;
        while ((p = queue.poll()) != null) {
            ReferenceCountUtil.release(p.msg());
            p.promise().tryFailure(cause);
        }
        queuedBytes = 0;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Pending p;
        while ((p = queue.poll()) != null) {
            ReferenceCountUtil.release(p.msg());
            p.promise().tryFailure(new IOException("connection closed"));
        }
        queuedBytes = 0;
        ctx.fireChannelInactive();
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof FileRegion r) {
            return r.count() - r.transferred();
        }
        return 0;
    }

    /** A channel that takes at most {@code limit} bytes into a buffer. */
    static final class Into implements WritableByteChannel {
        private final ByteBuf target;
        private int left;

        Into(ByteBuf target, int limit) {
            this.target = target;
            this.left = limit;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(left, src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            target.writeBytes(part);
            src.position(src.position() + n);
            left -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
