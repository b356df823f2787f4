package io.zonesync.stream.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Reads one side of a proxied connection for its {@link ProxySession}, with nginx's flow control:
 * it reads only while the other side is writable (so neither side is buffered beyond
 * {@code proxy_buffer_size}), and, with a rate ({@code proxy_upload_rate} or
 * {@code proxy_download_rate}), only as fast as nginx allows: the bytes read so far may not exceed
 * the rate times the whole seconds since the session began, plus one second's worth; once they
 * reach it, reading waits for the next second of the session.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final ProxySession proxy;
    private final long rate;
    private Channel channel;
    private long read;
    private boolean ended;
    private boolean rateWait;

    Relay(ProxySession proxy, long rate) {
        this.proxy = proxy;
        this.rate = rate;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        read += data.readableBytes();
        proxy.read(this, data);
        if (allowance() <= 0) {
            waitForTheNextSecond(ctx);
        }
    }

    private void waitForTheNextSecond(ChannelHandlerContext ctx) {
        rateWait = true;
        ctx.executor().schedule(() -> {
            if (allowance() <= 0) {
                waitForTheNextSecond(ctx);
            } else {
                rateWait = false;
                updateReading();
            }
        }, 1000 - proxy.elapsedMs() % 1000, TimeUnit.MILLISECONDS);
    }

    /** How many bytes the rate lets this side read now (all it wants without a rate). */
    int allowance() {
        if (rate == 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                rate * (proxy.elapsedMs() / 1000 + 1) - read));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        proxy.flush(this);
        updateReading();
    }

    /** The other side can take more, or cannot: reading follows. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Relay other = proxy.otherRelay(this);
        if (other != null) {
            other.updateReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ended = true;
            updateReading();
            proxy.inputEnded(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset or a read error: as nginx, the same as the end of that side's input
        if (!ended) {
            ended = true;
            proxy.inputEnded(this);
        }
        ctx.close();
    }

    /** Reads while relaying, the other side writable, this side's input open and its rate not exceeded. */
    void updateReading() {
        if (channel == null) {
            return;
        }
        Channel to = proxy.other(this);
        boolean on = proxy.relaying() && !ended && !rateWait && to != null && to.isWritable();
        if (channel.config().isAutoRead() != on) {
            channel.config().setAutoRead(on);
        }
    }
}
