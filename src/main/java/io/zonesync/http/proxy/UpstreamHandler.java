package io.zonesync.http.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the connection decodes to the request
 * using it. An idle connection (in the keep-alive cache) has no listener; anything it receives
 * is unexpected, so it is closed.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** The request that owns the connection now. Called on the connection's event loop. */
    interface Listener {
        void onResponse(HttpResponse response);

        void onContent(HttpContent content);

        void onClosed();

        void onFailure(Throwable cause);

        void onWritable();
    }

    private Listener listener;

    void listener(Listener l) {
        this.listener = l;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Listener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            l.onResponse(r);
        }
        if (msg instanceof HttpContent c) {
            if (listener == l) {
                l.onContent(c);
            } else {
                c.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.onClosed();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && listener != null) {
            listener.onWritable();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.onFailure(cause);
        }
        ctx.close();
    }
}
