package io.zonesync.http.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.zonesync.net.AddressText;
import io.zonesync.net.ConnectionStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs its requests one at a time (pipelined requests wait, with reading
 * paused), keeps it alive between them as the location allows, and closes it when idle too long,
 * when the client is too slow sending a body, or when the runtime drains or retires its listener.
 * On HTTP/2 one runs on each stream for the stream's one request, with the connection-level facts
 * (number, start, request count, socket) of its {@link Http2Connection}.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter implements ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private final Listener listener;
    private final ServerContext context;
    private final long id;
    /** The HTTP/2 connection this stream belongs to; null on HTTP/1.x. */
    private final Http2Connection parent;
    /** On a stream: the size of its request, counted by {@link Http2StreamFrames}. */
    private final AtomicLong streamBytes;
    private boolean begun;
    private ChannelHandlerContext ctx;
    private NettyExchange current;
    private boolean currentRequestRead;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private long requests;
    private boolean pausedForBody;
    private boolean pausedForQueue;
    /** The connection's one timeout (keep-alive, or reading a request), armed for {@link #armedMs}. */
    private DeadlineTimer timer;
    private long armedMs;
    private long lastRead;
    private final List<Runnable> writableWaiters = new ArrayList<>();
    /** {@code send_timeout}: runs while a response waits to be sent (see {@link #watchSend}). */
    private DeadlineTimer sendTimer;
    private boolean sendWatched;
    /** Reads the header blocks ahead of the codec; told here how each request's body is framed. */
    private HeaderFoldGuard foldGuard;
    private List<Long> sendProgress = List.of();
    /** Bytes of a request header arrived on the idle connection; the codec has not given the request yet. */
    private boolean readingHeader;
    /** When those first bytes came, epoch milliseconds: the request's start ({@code $request_time}). */
    private long headerStartMillis;
    /** The byte counts of the requests the codec gave, in order, until each is dispatched. */
    private final ArrayDeque<AtomicLong> requestBytes = new ArrayDeque<>();
    private long startMillis;

    HttpConnection(Listener listener, ServerContext context) {
        this.listener = listener;
        this.context = context;
        this.id = context.nextConnectionId();
        this.parent = null;
        this.streamBytes = null;
    }

    /** The handler of one stream of {@code parent}, whose request's size is counted in {@code streamBytes}. */
    HttpConnection(Http2Connection parent, AtomicLong streamBytes) {
        this.listener = parent.listener();
        this.context = parent.context();
        this.id = parent.id();
        this.parent = parent;
        this.streamBytes = streamBytes;
    }

    long id() {
        return id;
    }

    /** Where responses are written: the connection, or on HTTP/2 the stream. */
    Channel channel() {
        return ctx.channel();
    }

    /** The client's socket: TLS, PROXY protocol and addresses are read from it. */
    Channel socket() {
        return parent == null ? ctx.channel() : parent.channel();
    }

    /** {@code $http2}: {@code h2}, {@code h2c}, or empty on HTTP/1.x. */
    String http2() {
        return parent == null ? "" : parent.label();
    }

    /** Whether this runs a stream of an HTTP/2 connection. */
    boolean isStream() {
        return parent != null;
    }

    @Override
    public Listener listener() {
        return listener;
    }

    ServerContext context() {
        return context;
    }

    /** When the connection was accepted, epoch milliseconds. */
    long startMillis() {
        return parent == null ? startMillis : parent.startMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new DeadlineTimer(ctx.executor(), () -> onTimer(armedMs));
        this.sendTimer = new DeadlineTimer(ctx.executor(), this::onSendTimeout);
        this.foldGuard = ctx.pipeline().get(HeaderFoldGuard.class);
        this.startMillis = context.clock.millis();
        if (foldGuard != null) {
            ctx.pipeline().addBefore("fold", "header-start", new HeaderStart());
        }
        if (parent == null && ctx.channel().isActive()) {
            begin(); // set up after the TLS handshake chose HTTP/1.1, or after the preface said HTTP/1.x
        }
    }

    /** Sees the raw bytes before the codec: the first ones on an idle connection begin reading a header. */
    private final class HeaderStart extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (current == null && queued.isEmpty() && !readingHeader) {
                readingHeader = true;
                headerStartMillis = context.clock.millis();
                stats().readingHeader(c.channel());
            }
            c.fireChannelRead(msg);
        }
    }

    private ConnectionStats stats() {
        return context.connectionLimit.stats();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (parent == null) {
            begin();
        }
        ctx.fireChannelActive();
    }

    private void begin() {
        if (begun) {
            return;
        }
        begun = true;
        if (context.admit(ctx.channel())) {
            arm(defaultServerConfig().timeouts().clientHeaderMs());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = now();
        if (foldGuard != null) {
            if (msg instanceof HttpRequest req) {
                foldGuard.bodyFraming(bodyFraming(req));
                requestBytes.add(foldGuard.requestBytes());
            }
            if (msg instanceof LastHttpContent) {
                foldGuard.bodyEnded();
            }
        }
        if ((current != null && currentRequestRead) || !queued.isEmpty()) {
            queued.add(msg);
            pausedForQueue = true;
            updateAutoRead();
            return;
        }
        dispatch(msg);
    }

    /** How the codec frames this request's body: its length, -1 for chunked, 0 for none or a bad length. */
    private static long bodyFraming(HttpRequest req) {
        if (HttpUtil.isTransferEncodingChunked(req)) {
            return -1;
        }
        try {
            return Math.max(0, HttpUtil.getContentLength(req, 0L));
        } catch (NumberFormatException e) {
            return 0; // answered 400 and closed
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            if (current != null) {
                // cannot happen with HttpServerCodec; drop rather than mix two requests
                ReferenceCountUtil.release(msg);
                return;
            }
            long start = context.clock.millis();
            boolean pipelined = !readingHeader && requests > 0;
            if (readingHeader) {
                readingHeader = false;
                start = headerStartMillis;
                stats().headerRead(ctx.channel());
            }
            stats().requestStarted(ctx.channel());
            requests = parent == null ? requests + 1 : parent.nextRequest();
            currentRequestRead = false;
            current = new NettyExchange(this, listener.routes(), req, start, requests);
            current.pipelined = pipelined;
            AtomicLong length = streamBytes != null ? streamBytes : requestBytes.poll();
            current.requestLength = length == null ? new AtomicLong() : length;
            NettyExchange ex = current;
            RequestPhases.start(ex);
            if (current == ex && !currentRequestRead) {
                // reading the body: the location's client_body_timeout, known now
                arm((ex.location != null ? ex.location : defaultServerConfig()).timeouts().clientBodyMs());
            }
            if (msg instanceof HttpContent content && current == ex) {
                ex.body.onContent(content);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (current == null || currentRequestRead) {
                content.release();
                return;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                LOG.info("client sent an invalid body: {}", content.decoderResult().cause().getMessage());
                current.closeAfterResponse = true;
                current.bodyTimedOutOrBroken(400);
                return;
            }
            boolean last = content instanceof LastHttpContent;
            current.body.onContent(content);
            if (last) {
                currentRequestRead = true;
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /** Called by the exchange when the last piece of the request body arrived. */
    void requestBodyComplete() {
        currentRequestRead = true;
        if (current != null && !current.isFinished()) {
            cancelTimer();
        }
    }

    /** Whether the response being written may leave the connection open. */
    boolean mayKeepAlive(NettyExchange ex) {
        if (parent != null) {
            return false; // a stream carries one request; its connection lives on
        }
        if (context.draining || listener.isRetired()) {
            return false;
        }
        LocationConfig loc = ex.location;
        if (loc != null && (loc.keepaliveTimeoutMs() <= 0 || requests >= loc.keepaliveRequests())) {
            return false;
        }
        String conn = ex.request.headers().get(HttpHeaderNames.CONNECTION);
        if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            return conn != null && conn.toLowerCase(Locale.ROOT).contains(HttpHeaderValues.KEEP_ALIVE);
        }
        return conn == null || !conn.toLowerCase(Locale.ROOT).contains(HttpHeaderValues.CLOSE);
    }

    /**
     * Paces the response being sent ({@code limit_rate}); the pacing ends with the exchange. The
     * limiter joins the pipeline below the codec the first time a response of the connection
     * needs one.
     */
    void limitRate(long bytesPerSecond, long after) {
        if (ctx.pipeline().get("codec") == null) {
            return;
        }
        SendRateLimiter limiter = ctx.pipeline().get(SendRateLimiter.class);
        if (limiter == null) {
            limiter = new SendRateLimiter(System::nanoTime);
            ctx.pipeline().addBefore("codec", "rate", limiter);
        }
        limiter.start(bytesPerSecond, after);
    }

    /** The exchange is done (response written, body read): next request, or close. */
    void exchangeComplete(NettyExchange ex, boolean keepAlive) {
        if (ex != current) {
            return;
        }
        SendRateLimiter limiter = ctx.pipeline().get(SendRateLimiter.class);
        if (limiter != null) {
            limiter.stop();
        }
        current = null;
        currentRequestRead = false;
        writableWaiters.clear();
        if (!keepAlive || context.draining || listener.isRetired() || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        long keepaliveMs = ex.location == null ? LocationCompiler.DEFAULT_KEEPALIVE_TIMEOUT_MS
                : ex.location.keepaliveTimeoutMs();
        arm(keepaliveMs);
        while (current == null && !queued.isEmpty()) {
            dispatch(queued.poll());
        }
        while (current != null && !currentRequestRead && !queued.isEmpty()) {
            dispatch(queued.poll());
        }
        if (queued.isEmpty()) {
            pausedForQueue = false;
            updateAutoRead();
        }
    }

    void pauseForBody(boolean paused) {
        pausedForBody = paused;
        updateAutoRead();
    }

    private void updateAutoRead() {
        boolean read = !pausedForBody && !pausedForQueue;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
            if (read) {
                ctx.read();
            }
        }
    }

    void whenWritable(Runnable task) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> whenWritable(task));
            return;
        }
        if (ctx.channel().isWritable()) {
            task.run();
        } else {
            writableWaiters.add(task);
        }
    }

    /**
     * The server configuration of this connection's address before a request names its server:
     * nginx reads a request's headers with the default server's settings.
     */
    private LocationConfig defaultServerConfig() {
        return listener.routes().endpoint().serversFor(ctx.channel().localAddress()).defaultServer().serverConfig();
    }

    /**
     * Watches a response going out for {@code send_timeout}: if in that time the socket takes
     * nothing of what waits to be sent, the connection is closed, as nginx closes a client that
     * stopped reading. Called when a response's last part is written and when the connection
     * stops being writable (a streamed response).
     */
    void watchSend() {
        if (sendWatched) {
            return;
        }
        sendWatched = true;
        sendProgress = sendSnapshot();
        LocationConfig loc = current != null && current.location != null ? current.location : defaultServerConfig();
        sendTimer.arm(loc.timeouts().sendMs());
    }

    private void onSendTimeout() {
        sendWatched = false;
        ChannelOutboundBuffer buf = socket().unsafe().outboundBuffer();
        if (buf == null || buf.isEmpty() || !socket().isActive()) {
            return; // all sent: nothing to watch until the next response
        }
        if (!sendSnapshot().equals(sendProgress)) {
            watchSend();
            return;
        }
        LOG.info("client timed out (110: Connection timed out) while sending response to client, client: {}",
                AddressText.hostPort(ctx.channel().remoteAddress()));
        socket().close();
    }

    /** Where sending stands: the message being written, how far into it, and what waits behind it. */
    private List<Long> sendSnapshot() {
        ChannelOutboundBuffer buf = socket().unsafe().outboundBuffer();
        if (buf == null) {
            return List.of();
        }
        return List.of((long) System.identityHashCode(buf.current()), buf.currentProgress(),
                buf.totalPendingWriteBytes());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            watchSend();
        }
        if (ctx.channel().isWritable() && !writableWaiters.isEmpty()) {
            List<Runnable> run = new ArrayList<>(writableWaiters);
            writableWaiters.clear();
            run.forEach(Runnable::run);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The runtime is draining: close now if idle, else after the current response. */
    @Override
    public void drain() {
        if (current == null) {
            ctx.close();
        }
    }

    /** Arms the connection's one timeout, replacing the one armed (a non-positive time disarms it). */
    private void arm(long ms) {
        if (ms <= 0) {
            cancelTimer();
            return;
        }
        armedMs = ms;
        timer.arm(ms);
    }

    private void cancelTimer() {
        timer.disarm();
    }

    /**
     * Idle between requests for the keep-alive timeout: close. Reading a request (headers or body)
     * with nothing arriving for {@code client_body_timeout}: 408 if nothing was answered, else close.
     */
    private void onTimer(long ms) {
        if (current == null) {
            ctx.close();
            return;
        }
        if (currentRequestRead || current.isFinished()) {
            return;
        }
        long quiet = now() - lastRead;
        if (quiet < ms) {
            arm(ms - quiet);
            return;
        }
        current.bodyTimedOutOrBroken(408);
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (readingHeader) {
            readingHeader = false;
            stats().headerAbandoned(ctx.channel());
        }
        timer.cancel();
        sendTimer.cancel();
        if (current != null) {
            current.connectionLost();
            current = null;
        }
        Object m;
        while ((m = queued.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} from {} failed: {}", id, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
