package io.zonesync.http.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking HTTP/2: the connection-level state its streams share (the
 * connection number, when it began, the requests it carried), the child pipeline of each stream
 * (which ends in an {@link HttpConnection} that runs the stream's one request exactly as an
 * HTTP/1.x request), and the connection's life: closed after {@code keepalive_timeout} without a
 * stream, a graceful GOAWAY after {@code keepalive_requests} streams or when the runtime drains (the
 * streams in flight finish). Sits between the frame codec and the stream multiplexer. Event loop only.
 */
final class Http2Connection extends ChannelInboundHandlerAdapter implements ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Connection.class);

    private final Listener listener;
    private final ServerContext context;
    private final Http2Options options;
    private final String label;
    private final long id;
    private ChannelHandlerContext ctx;
    private long startMillis;
    private long requests;
    private DeadlineTimer idle;
    private Http2FrameCodec codec;
    private boolean begun;

    /** @param label {@code h2} over TLS, {@code h2c} on plaintext: the value of {@code $http2} */
    Http2Connection(Listener listener, ServerContext context, Http2Options options, String label) {
        this.listener = listener;
        this.context = context;
        this.options = options;
        this.label = label;
        this.id = context.nextConnectionId();
    }

    /** The child pipeline of each stream. */
    ChannelInitializer<Channel> streams() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                AtomicLong requestBytes = new AtomicLong();
                ch.pipeline().addLast("frames", new Http2StreamFrames(options.chunkSize(), requestBytes));
                ch.pipeline().addLast("chunks", new ChunkedWriteHandler());
                ch.pipeline().addLast("regions", new FileRegionChunks(options.chunkSize()));
                ch.pipeline().addLast("codec", new Http2StreamBody());
                ch.pipeline().addLast("connection", new HttpConnection(Http2Connection.this, requestBytes));
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.startMillis = context.clock.millis();
        this.idle = new DeadlineTimer(ctx.executor(), ctx::close);
        this.codec = ctx.pipeline().get(Http2FrameCodec.class);
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                idle.disarm();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (codec.connection().numActiveStreams() == 0) {
                    armIdle();
                }
            }
        });
        if (ctx.channel().isActive()) {
            begin();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin();
        ctx.fireChannelActive();
    }

    private void begin() {
        if (begun) {
            return;
        }
        begun = true;
        if (context.admit(ctx.channel())) {
            armIdle();
        }
    }

    private void armIdle() {
        long ms = defaultServerConfig().keepaliveTimeoutMs();
        if (ms > 0) {
            idle.arm(ms);
        } else {
            idle.disarm();
        }
    }

    private LocationConfig defaultServerConfig() {
        return listener.routes().endpoint().serversFor(ctx.channel().localAddress()).defaultServer().serverConfig();
    }

    long id() {
        return id;
    }

    Channel channel() {
        return ctx.channel();
    }

    ServerContext context() {
        return context;
    }

    String label() {
        return label;
    }

    long startMillis() {
        return startMillis;
    }

    /**
     * The number of the request a new stream carries on this connection ({@code $connection_requests});
     * the last one {@code keepalive_requests} allows sends GOAWAY, letting the streams open finish.
     */
    long nextRequest() {
        requests++;
        if (requests >= defaultServerConfig().keepaliveRequests() || listener.isRetired()) {
            ctx.executor().execute(this::drain);
        }
        return requests;
    }

    @Override
    public Listener listener() {
        return listener;
    }

    /** GOAWAY, then close once the open streams are done (the frame codec's graceful close). */
    @Override
    public void drain() {
        ctx.channel().close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP/2 connection {} from {} failed: {}", id, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
