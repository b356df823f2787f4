package io.zonesync.http.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind the TLS handler of an address that speaks HTTP/2: when the handshake is done, sets up
 * HTTP/2 if ALPN chose {@code h2}, else HTTP/1.x (ALPN chose {@code http/1.1}, or the client
 * offered none), then leaves the pipeline. What was read before the choice is passed on after it.
 */
final class AlpnChoice extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AlpnChoice.class);

    private final ConnectionPipelines pipelines;
    private final Http2Options options;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private boolean chosen;

    AlpnChoice(ConnectionPipelines pipelines, Http2Options options) {
        this.pipelines = pipelines;
        this.options = options;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !chosen) {
            chosen = true;
            if (!done.isSuccess()) {
                LOG.debug("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
                ctx.close();
                return;
            }
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && "h2".equals(tls.applicationProtocol())) {
                pipelines.http2(ctx, options, "h2");
            } else {
                pipelines.http1(ctx);
            }
            ctx.fireChannelActive();
            Object m;
            while ((m = early.poll()) != null) {
                ctx.fireChannelRead(m);
            }
            ctx.fireChannelReadComplete();
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (chosen) {
            ctx.fireChannelRead(msg);
        } else {
            early.add(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} failed before its protocol was chosen: {}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object m;
        while ((m = early.poll()) != null) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
    }
}
