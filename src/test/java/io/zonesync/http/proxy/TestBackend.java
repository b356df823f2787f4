package io.zonesync.http.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server for proxy tests, on 127.0.0.1 and a kernel-chosen port. Paths:
 * {@code /echo} (the request body back, chunked, in pieces), {@code /big?n=N} (N bytes, with
 * Content-Length), {@code /chunked?n=N} (N bytes chunked), {@code /status/N}, {@code /slow} (never
 * answers), {@code /close-early} (promises 1000 bytes, sends 10, closes), {@code /login?id=X}
 * (sets cookie {@code session=X}), anything else: 200 with the backend's name. Every response
 * carries {@code X-Backend}. It records the requests' heads and counts connections.
 */
final class TestBackend implements AutoCloseable {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    final String name;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final ConcurrentLinkedQueue<FullHttpRequest> seen = new ConcurrentLinkedQueue<>();
    private final Channel server;

    TestBackend(String name) {
        this(name, new InetSocketAddress("127.0.0.1", 0));
    }

    /** A backend at {@code bind} (another loopback address, a port already used on one). */
    TestBackend(String name, InetSocketAddress bind) {
        this.name = name;
        this.server = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024 * 1024),
                                new Handler());
                    }
                }).bind(bind).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String address() {
        return ((InetSocketAddress) server.localAddress()).getAddress().getHostAddress() + ":" + port();
    }

    /** The last request's headers. */
    HttpHeaders lastHeaders() {
        FullHttpRequest last = last();
        return last == null ? null : last.headers();
    }

    /** The last request's head (its body is not kept). */
    FullHttpRequest last() {
        FullHttpRequest last = null;
        for (FullHttpRequest r : seen) {
            last = r;
        }
        return last;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        for (FullHttpRequest r : seen) {
            r.release();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            FullHttpRequest copy = req.replace(Unpooled.EMPTY_BUFFER);
            copy.setUri(req.uri());
            seen.add(copy);
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (path.equals("/slow")) {
                return;
            }
            if (path.equals("/stall")) { // a head and part of the body, then silence
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1000);
                ctx.write(r);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.US_ASCII)));
                return;
            }
            if (path.equals("/close-early")) {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1000);
                ctx.write(r);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.US_ASCII)))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (path.equals("/echo") || path.equals("/chunked")) {
                ByteBuf body = path.equals("/echo") ? req.content().retain() : filled(intParam(q, "n"));
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                r.headers().set("X-Backend", name);
                ctx.write(r);
                while (body.isReadable()) {
                    ctx.write(new DefaultHttpContent(body.readRetainedSlice(Math.min(body.readableBytes(), 7919))));
                }
                body.release();
                finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
                return;
            }
            int status = 200;
            ByteBuf body;
            if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring(8));
                body = Unpooled.copiedBuffer(name + " " + status, StandardCharsets.UTF_8);
            } else if (path.endsWith("/redirect")) { // answers 302 to ?to=
                status = 302;
                body = Unpooled.copiedBuffer(name + " redirect", StandardCharsets.UTF_8);
            } else if (path.equals("/big")) {
                body = filled(intParam(q, "n"));
            } else {
                body = Unpooled.copiedBuffer(name + " " + req.uri(), StandardCharsets.UTF_8);
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    body);
            r.headers().set("X-Backend", name);
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (path.endsWith("/redirect")) {
                r.headers().set(HttpHeaderNames.LOCATION, param(q, "to"));
            }
            if (path.equals("/login")) {
                r.headers().add(HttpHeaderNames.SET_COOKIE, "session=" + param(q, "id") + "; Path=/");
            }
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            finish(ctx, ctx.writeAndFlush(r), keepAlive);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("test backend " + name + ": " + cause);
            ctx.close();
        }

        private void finish(ChannelHandlerContext ctx, ChannelFuture f, boolean keepAlive) {
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** n bytes of a repeating pattern, so corruption shows. */
    static ByteBuf filled(int n) {
        ByteBuf b = Unpooled.buffer(n);
        for (int i = 0; i < n; i++) {
            b.writeByte('a' + i % 23);
        }
        return b;
    }

    static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ('a' + i % 23);
        }
        return out;
    }

    private static int intParam(QueryStringDecoder q, String name) {
        return Integer.parseInt(param(q, name));
    }

    private static String param(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }
}
