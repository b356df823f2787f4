package io.zonesync.http.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Health check requests over plain HTTP: a new connection per check
 * (connect timeout: {@code proxy_connect_timeout}), {@code GET uri HTTP/1.1} with the Host of the
 * check and {@code Connection: close}, the response read until its end with at most
 * {@code proxy_read_timeout} between two reads; the body is kept up to {@link ProbeResponse#MAX_BODY}.
 */
public final class NettyHealthProbe implements HealthProbe {
    private final Transport transport;

    public NettyHealthProbe(Transport transport) {
        this.transport = transport;
    }

    /** A runtime of its own for one checker: one event loop for its timers and its connections. */
    public static HealthChecker.Runtime runtime(String upstream) {
        Transport t = Transport.create(1, "upstream-" + upstream + "-check");
        Scheduler scheduler = Scheduler.on(t.group().next());
        HealthProbe probe = new NettyHealthProbe(t);
        return new HealthChecker.Runtime() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public HealthProbe probe() {
                return probe;
            }

            @Override
            public void close() {
                t.shutdown();
            }
        };
    }

    @Override
    public CompletableFuture<ProbeResponse> probe(InetSocketAddress address, ProbeRequest request) {
        CompletableFuture<ProbeResponse> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(transport.group()).channel(transport.clientChannel(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        request.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(request.readTimeoutMs(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new Reader(result));
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    request.uri());
            get.headers().set(HttpHeaderNames.HOST, request.host());
            get.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            connect.channel().writeAndFlush(get);
        });
        return result;
    }

    /** Collects one response and closes the connection. */
    private static final class Reader extends SimpleChannelInboundHandler<HttpObject> {
        private final CompletableFuture<ProbeResponse> result;
        private int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Reader(CompletableFuture<ProbeResponse> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                fail(ctx, new IOException("invalid response: " + msg.decoderResult().cause().getMessage()));
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                r.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(), k -> new ArrayList<>())
                        .add(e.getValue()));
            }
            if (msg instanceof HttpContent c) {
                ByteBuf content = c.content();
                int keep = Math.min(content.readableBytes(), ProbeResponse.MAX_BODY - body.size());
                if (keep > 0) {
                    byte[] bytes = new byte[keep];
                    content.getBytes(content.readerIndex(), bytes);
                    body.writeBytes(bytes);
                }
            }
            if (msg instanceof LastHttpContent) {
                result.complete(new ProbeResponse(status, headers, body.toString(StandardCharsets.ISO_8859_1)));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, new IOException("upstream prematurely closed connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause instanceof io.netty.handler.timeout.ReadTimeoutException
                    ? new IOException("upstream timed out") : cause);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
