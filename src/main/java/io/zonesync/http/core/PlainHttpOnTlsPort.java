package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.zonesync.http.vars.CoreVariables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First on a TLS listener, until the first byte arrives: a client speaking plain HTTP there gets
 * nginx's answer, a 400 saying so, rather than a TLS alert it cannot read, and the error log says
 * what happened (at info, as nginx logs it). A TLS record starts with a content type byte (0x16 for
 * a handshake) that no HTTP method starts with.
 */
final class PlainHttpOnTlsPort extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger("http");
    private static final String WHY = "The plain HTTP request was sent to HTTPS port";
    private static final byte[] RESPONSE = response();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (first < 'A' || first > 'Z') {
            ctx.pipeline().remove(this); // what was read goes on to the TLS handler
            return;
        }
        LOG.info("client sent plain HTTP request to HTTPS port while reading client request headers, client: {}",
                CoreVariables.addressText(ctx.channel().remoteAddress()));
        in.skipBytes(in.readableBytes());
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }

    private static byte[] response() {
        // before any request there is no server to read server_tokens from: its default, on
        byte[] page = StatusPages.page(400, WHY, true);
        byte[] head = ("HTTP/1.1 400 Bad Request\r\nServer: " + ResponseHead.SERVER_WITH_VERSION
                + "\r\nContent-Type: text/html\r\nContent-Length: "
                + page.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + page.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(page, 0, all, head.length, page.length);
        return all;
    }
}
