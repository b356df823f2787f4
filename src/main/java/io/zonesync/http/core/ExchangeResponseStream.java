package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;

/**
 * The body of a response started with {@link HttpExchange#startResponse}: every write hops to the
 * exchange's event loop, HEAD and bodyless statuses drop the pieces, and the end completes the
 * exchange.
 *
 * <p>The head and the pieces are not flushed one by one: one flush goes at the end of the event
 * loop's current turn (after the I/O it is handling), and the end flushes at once. A proxied
 * response whose head and body arrive in one read from the upstream thus leaves in one write to
 * the client instead of three, as nginx sends it; a body that trickles in still goes out as it
 * comes, one turn later at most.
 */
final class ExchangeResponseStream implements ResponseStream {
    private final NettyExchange ex;
    private final Channel channel;
    private final Runnable flushTask = this::flushNow;
    private boolean started;
    private boolean ended;
    private boolean flushPending;

    ExchangeResponseStream(NettyExchange ex) {
        this.ex = ex;
        this.channel = ex.connection.channel();
    }

    void start(int code, HttpHeaders headers) {
        if (!ex.claimResponse()) {
            ended = true;
            return;
        }
        started = true;
        int effective = ex.effectiveStatus(code);
        long length = headers == null ? -1 : headers.getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        channel.write(ex.head(effective, headers, NettyExchange.bodyless(effective) ? -2 : length));
        flushLater();
    }

    /** Flushes at the end of this event loop turn, once however many writes come before. */
    private void flushLater() {
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    @Override
    public Future<Void> write(ByteBuf data) {
        if (!channel.eventLoop().inEventLoop()) {
            ChannelPromise p = channel.newPromise();
            channel.eventLoop().execute(() -> write(data).addListener(f -> {
                if (f.isSuccess()) {
                    p.setSuccess();
                } else {
                    p.setFailure(f.cause());
                }
            }));
            return p;
        }
        if (!started || ended || ex.isAborted()) {
            data.release();
            return channel.newFailedFuture(new IllegalStateException("the response body is not open"));
        }
        if (ex.isHead() || NettyExchange.bodyless(ex.status())) {
            data.release();
            return channel.newSucceededFuture();
        }
        if (ex.filter != null) {
            ex.filterPiece(data);
            return channel.newSucceededFuture();
        }
        ByteBuf piece = ex.encoded(data);
        ex.countBody(piece.readableBytes());
        ChannelFuture written = channel.write(new DefaultHttpContent(piece));
        flushLater();
        return written;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable() && (ex.filter == null || !ex.filter.holdsBack());
    }

    @Override
    public void whenWritable(Runnable task) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> whenWritable(task));
        } else if (ex.filter != null && ex.filter.holdsBack()) {
            ex.filter.whenFlowing(() -> whenWritable(task));
        } else {
            ex.connection.whenWritable(task);
        }
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> end(trailers));
            return;
        }
        if (!started || ended) {
            return;
        }
        ended = true;
        if (ex.filter != null && !ex.isHead() && !NettyExchange.bodyless(ex.status())) {
            flushNow();
            ex.filterEnd(); // the filter ends the body; trailers do not survive it
            return;
        }
        ByteBuf end;
        if (ex.isHead() || NettyExchange.bodyless(ex.status())) {
            ex.closeBodyChain();
            end = Unpooled.EMPTY_BUFFER;
        } else {
            end = ex.encodedEnd();
        }
        ex.countBody(end.readableBytes());
        LastHttpContent last;
        if (trailers != null && !trailers.isEmpty()) {
            last = new DefaultLastHttpContent(end, trailers);
        } else if (end.isReadable()) {
            last = new DefaultLastHttpContent(end);
        } else {
            // the shared empty end: a new one carries its own trailer map, two allocations per response
            end.release();
            last = LastHttpContent.EMPTY_LAST_CONTENT;
        }
        flushPending = false;
        ex.finish(channel.writeAndFlush(last));
    }

    @Override
    public void abort() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::abort);
            return;
        }
        ended = true;
        ex.closeBodyChain();
        flushNow(); // what was written goes out before the close, as it did when each write flushed
        ex.abortConnection();
    }
}
