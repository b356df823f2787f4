package io.zonesync.http.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.zonesync.net.AddressText;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Health check requests over plain HTTP: {@code GET uri HTTP/1.1} with the Host of the check, the
 * response read until its end with at most {@code proxy_read_timeout} between two reads; the body is
 * kept up to {@link ProbeResponse#MAX_BODY}. Without {@code keepalive_time} each check has a new
 * connection (connect timeout: {@code proxy_connect_timeout}) and sends {@code Connection: close};
 * with it, a connection to a server carries that server's checks for that long after it was opened,
 * while the server keeps it open.
 */
public final class NettyHealthProbe implements HealthProbe {
    private final Transport transport;
    private final long keepaliveTimeNanos;
    /** With {@code keepalive_time}: each server's idle connection and when it was opened. */
    private final Map<InetSocketAddress, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(Channel channel, long openedNanos) {
    }

    /** @param keepaliveTimeMs {@code keepalive_time}, or 0 for a connection per check */
    public NettyHealthProbe(Transport transport, long keepaliveTimeMs) {
        this.transport = transport;
        this.keepaliveTimeNanos = TimeUnit.MILLISECONDS.toNanos(keepaliveTimeMs);
    }

    /**
     * A runtime of its own for one check of {@code upstream}: one event loop for its timers and its
     * connections.
     */
    public static HealthChecker.Runtime runtime(String upstream, HttpCheck check, long keepaliveTimeMs) {
        Transport t = Transport.create(1, "upstream-" + upstream + "-check");
        Scheduler scheduler = Scheduler.on(t.group().next());
        HealthProbe probe = new NettyHealthProbe(t, keepaliveTimeMs);
        return new HealthChecker.Runtime() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public CompletableFuture<String> check(InetSocketAddress address) {
                return check.run(probe, address);
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
        Kept idle = kept.remove(address);
        if (idle != null && idle.channel().isActive()
                && System.nanoTime() - idle.openedNanos() < keepaliveTimeNanos) {
            send(idle, address, request, result);
            return result;
        }
        if (idle != null) {
            idle.channel().close();
        }
        long opened = System.nanoTime();
        ChannelFuture connect = new Bootstrap().group(transport.group()).channel(transport.clientChannel(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        request.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(IDLE, new Idle());
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            send(new Kept(connect.channel(), opened), address, request, result);
        });
        return result;
    }

    /** Sends one check on {@code connection}, which goes back to {@link #kept} after it if it may. */
    private void send(Kept connection, InetSocketAddress address, ProbeRequest request,
            CompletableFuture<ProbeResponse> result) {
        Channel ch = connection.channel();
        boolean keep = keepaliveTimeNanos > 0;
        ch.pipeline().addFirst(TIMEOUT, new ReadTimeoutHandler(request.readTimeoutMs(), TimeUnit.MILLISECONDS));
        String server = AddressText.hostPort(address);
        ch.pipeline().addBefore(IDLE, READER, new Reader(result, server, request, keep ? () -> {
            ch.pipeline().remove(TIMEOUT);
            ch.pipeline().remove(READER);
            kept.put(address, connection);
        } : null));
        DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.uri());
        get.headers().set(HttpHeaderNames.HOST, request.host());
        if (!keep) {
            get.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ch.writeAndFlush(get);
    }

    private static final String TIMEOUT = "check-timeout";
    private static final String READER = "check-reader";
    private static final String IDLE = "check-idle";

    /** Between two checks on a kept connection: whatever the server sends or does closes it. */
    private static final class Idle extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Collects one response; then closes the connection, or hands it back ({@code reuse}) when the
     * response lets it stay open.
     */
    private static final class Reader extends SimpleChannelInboundHandler<HttpObject> {
        private final CompletableFuture<ProbeResponse> result;
        private final String server;
        private final ProbeRequest request;
        private final Runnable reuse;
        private boolean keepAlive;
        private int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Reader(CompletableFuture<ProbeResponse> result, String server, ProbeRequest request, Runnable reuse) {
            this.result = result;
            this.server = server;
            this.request = request;
            this.reuse = reuse;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                fail(ctx, new IOException("invalid response: " + msg.decoderResult().cause().getMessage()));
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                keepAlive = HttpUtil.isKeepAlive(r);
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
                result.complete(new ProbeResponse(status, headers, body.toString(StandardCharsets.ISO_8859_1),
                        server, request));
                if (reuse != null && keepAlive) {
                    reuse.run();
                } else {
                    ctx.close();
                }
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
