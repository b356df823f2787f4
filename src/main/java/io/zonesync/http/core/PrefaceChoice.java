package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First on a plaintext address with {@code http2 on} (nginx 1.25's way): a connection that opens
 * with the HTTP/2 client preface gets HTTP/2, any other HTTP/1.x, decided on the first bytes that
 * tell them apart; then it leaves the pipeline, the bytes read going on to the handlers chosen.
 */
final class PrefaceChoice extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionPipelines pipelines;
    private final Http2Options options;

    PrefaceChoice(ConnectionPipelines pipelines, Http2Options options) {
        this.pipelines = pipelines;
        this.options = options;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                choose(ctx, false);
                return;
            }
        }
        if (n == PREFACE.length) {
            choose(ctx, true);
        }
    }

    private void choose(ChannelHandlerContext ctx, boolean http2) {
        if (http2) {
            pipelines.http2(ctx, options, "h2c");
        } else {
            pipelines.http1(ctx);
        }
        ctx.fireChannelActive();
        ctx.pipeline().remove(this); // what was read goes on to the handlers just added
    }
}
