package io.zonesync.stream.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.zonesync.http.healthcheck.HealthChecker;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream health check of a server, as NGINX Plus makes it, all within {@code health_check_timeout}.
 * Over TCP: the connection is made; with a {@link StreamMatch}, its {@code send} is written, then
 * its {@code expect} is looked for in what the server sends, up to {@code proxy_buffer_size} bytes.
 * Over UDP ({@code udp}): the match's {@code send} (without a match, "nginx health check") goes in
 * one datagram; with {@code expect}, a datagram that meets it must come back in time; without,
 * the check passes unless the server's host refuses the datagram (an ICMP port unreachable).
 */
final class StreamProbe {
    /** What a UDP check without a match sends. */
    static final byte[] DEFAULT_UDP_SEND = "nginx health check".getBytes(StandardCharsets.US_ASCII);

    private final Transport transport;
    private final StreamMatch match;
    private final boolean udp;
    private final long timeoutMs;
    private final int bufferSize;

    /**
     * @param match the check's match, or null
     * @param timeoutMs {@code health_check_timeout}
     * @param bufferSize {@code proxy_buffer_size}: how much of the answer is looked at
     */
    StreamProbe(Transport transport, StreamMatch match, boolean udp, long timeoutMs, int bufferSize) {
        this.transport = transport;
        this.match = match;
        this.udp = udp;
        this.timeoutMs = timeoutMs;
        this.bufferSize = bufferSize;
    }

    /** A runtime of its own for one check of {@code upstream}: one event loop for its timers and sockets. */
    static HealthChecker.Runtime runtime(String upstream, StreamMatch match, boolean udp, long timeoutMs,
            int bufferSize) {
        Transport t = Transport.create(1, "stream-upstream-" + upstream + "-check");
        Scheduler scheduler = Scheduler.on(t.group().next());
        StreamProbe probe = new StreamProbe(t, match, udp, timeoutMs, bufferSize);
        return new HealthChecker.Runtime() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public CompletableFuture<String> check(InetSocketAddress address) {
                return probe.check(address);
            }

            @Override
            public void close() {
                t.shutdown();
            }
        };
    }

    /** Null when the server passed, else what was wrong; fails when it could not be reached in time. */
    CompletableFuture<String> check(InetSocketAddress address) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(transport.group());
        if (udp) {
            b.channel(transport.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(bufferSize))
                    .handler(new Datagrams(result));
        } else {
            b.channel(transport.clientChannel(address))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Stream(result));
        }
        ChannelFuture connect = b.connect(address);
        Channel ch = connect.channel();
        ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> {
            if (udp && (match == null || !match.expects())) {
                result.complete(null);
            } else {
                result.completeExceptionally(new IOException("timed out"));
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            deadline.cancel(false);
            ch.close();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            byte[] send = match != null && match.send() != null ? match.send() : udp ? DEFAULT_UDP_SEND : null;
            if (send == null) {
                if (match == null || !match.expects()) {
                    result.complete(null);
                }
                return;
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(send)).addListener(w -> {
                if (!w.isSuccess()) {
                    result.completeExceptionally(w.cause());
                } else if (!udp && !match.expects()) {
                    result.complete(null);
                }
            });
        });
        return result;
    }

    /** A TCP server's answer, gathered until it meets the match, fills the buffer, or ends. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> result;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Stream(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf in = (ByteBuf) msg;
                int n = Math.min(in.readableBytes(), bufferSize - data.size());
                byte[] bytes = new byte[n];
                in.readBytes(bytes);
                data.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (match == null || !match.expects()) {
                return;
            }
            if (match.test(data.toByteArray())) {
                result.complete(null);
            } else if (data.size() >= bufferSize) {
                result.complete("response (" + data.size() + " bytes do not match \"" + match.name() + "\")");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete("response (the server closed the connection after " + data.size()
                    + " bytes that do not match)");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
        }
    }

    /** A UDP server's datagrams: the first that meets the match passes the check. */
    private final class Datagrams extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> result;

        Datagrams(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf in = ((DatagramPacket) msg).content();
                byte[] bytes = new byte[in.readableBytes()];
                in.readBytes(bytes);
                if (match == null || !match.expects() || match.test(bytes)) {
                    result.complete(null);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
        }
    }
}
