package io.zonesync.http.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.Unpooled;

/**
 * On an HTTP/2 stream, where HTTP/1.x has its codec: a response's body pieces leave as plain bytes
 * and its end as an empty {@link LastHttpContent}, so that what sits below (the {@code limit_rate}
 * pacer, files read out in pieces) sees bytes as on HTTP/1.x; {@link Http2StreamFrames} frames them.
 */
final class Http2StreamBody extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof HttpContent c) || msg instanceof HttpMessage) {
            ctx.write(msg, promise);
            return;
        }
        if (!(msg instanceof LastHttpContent last)) {
            ctx.write(c.content(), promise);
            return;
        }
        if (!last.content().isReadable()) {
            ctx.write(last, promise);
            return;
        }
        ctx.write(last.content());
        ctx.write(last.trailingHeaders().isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, last.trailingHeaders()), promise);
    }
}
