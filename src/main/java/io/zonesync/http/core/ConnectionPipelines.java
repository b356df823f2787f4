package io.zonesync.http.core;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The handlers that speak HTTP on a client connection, once it is known which HTTP: HTTP/1.x (the
 * header-folding guard, the codec, the connection) or HTTP/2 (the frame codec with the address's
 * settings, the {@link Http2Connection}, and a multiplexer giving each stream its own pipeline).
 * Either goes at the end of the pipeline, or, when chosen by a handler ({@link AlpnChoice},
 * {@link PrefaceChoice}), right behind it.
 */
final class ConnectionPipelines {
    /** The largest piece of a request body the HTTP/1.x codec hands on at once. */
    private static final int MAX_CHUNK = 64 * 1024;

    private final Listener listener;
    private final ServerContext context;
    private final int maxPipelineDepth;

    ConnectionPipelines(Listener listener, ServerContext context, int maxPipelineDepth) {
        this.listener = listener;
        this.context = context;
        this.maxPipelineDepth = maxPipelineDepth;
    }

    /** HTTP/1.x at the end of {@code p}. */
    void http1(ChannelPipeline p) {
        p.addLast("fold", new HeaderFoldGuard());
        p.addLast("codec", new HttpServerCodec(decoderConfig(), maxPipelineDepth));
        p.addLast("connection", new HttpConnection(listener, context));
    }

    /** HTTP/1.x right behind the handler of {@code chooser}. */
    void http1(ChannelHandlerContext chooser) {
        ChannelPipeline p = chooser.pipeline();
        p.addAfter(chooser.name(), "fold", new HeaderFoldGuard());
        p.addAfter("fold", "codec", new HttpServerCodec(decoderConfig(), maxPipelineDepth));
        p.addAfter("codec", "connection", new HttpConnection(listener, context));
    }

    /** HTTP/2 at the end of {@code p} (plaintext, {@code $http2} "h2c"). */
    void http2(ChannelPipeline p, Http2Options options, String label) {
        p.channel().config().setRecvByteBufAllocator(readSizes(options));
        Http2Connection conn = new Http2Connection(listener, context, options, label);
        p.addLast("h2", frameCodec(options));
        p.addLast("connection", conn);
        p.addLast("streams", new Http2MultiplexHandler(conn.streams()));
    }

    /** HTTP/2 right behind the handler of {@code chooser}. */
    void http2(ChannelHandlerContext chooser, Http2Options options, String label) {
        ChannelPipeline p = chooser.pipeline();
        p.channel().config().setRecvByteBufAllocator(readSizes(options));
        Http2Connection conn = new Http2Connection(listener, context, options, label);
        p.addAfter(chooser.name(), "h2", frameCodec(options));
        p.addAfter("h2", "connection", conn);
        p.addAfter("connection", "streams", new Http2MultiplexHandler(conn.streams()));
    }

    /** As nginx, a line may end with a bare LF. */
    private static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(HttpRuntime.MAX_HEADER_BYTES)
                .setMaxHeaderSize(HttpRuntime.MAX_HEADER_BYTES).setMaxChunkSize(MAX_CHUNK).setStrictLineParsing(false);
    }

    /** {@code http2_recv_buffer_size}: the most one read takes from the socket. */
    private static AdaptiveRecvByteBufAllocator readSizes(Http2Options options) {
        int max = options.recvBufferSize();
        return new AdaptiveRecvByteBufAllocator(Math.min(64, max), Math.min(2048, max), max);
    }

    private static Http2FrameCodec frameCodec(Http2Options options) {
        Http2Settings settings = new Http2Settings()
                .maxConcurrentStreams(options.maxConcurrentStreams())
                .initialWindowSize(options.bodyPrereadSize())
                .maxHeaderListSize(HttpRuntime.MAX_HEADER_BYTES);
        return Http2FrameCodecBuilder.forServer().initialSettings(settings).validateHeaders(true).build();
    }
}
