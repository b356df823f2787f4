package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import io.zonesync.tls.TlsConnectionText;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.Variable;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.ProxyHeader;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The exchange of one request on a Netty connection: the request's facts ({@link io.zonesync.http.vars.RequestView}),
 * its body, and the response, written on the connection's event loop. The phases that decide the
 * response live in {@link RequestPhases}.
 *
 * <p>Longer than most classes: the three ways a response leaves (whole, streamed, and a handler's
 * error after headers went out) share the connection's keep-alive and close decisions, which
 * belong together; the request body's own state is {@link RequestBodyState}.
 */
sealed class NettyExchange implements HttpExchange permits SubrequestExchange {
    private static final Logger LOG = LoggerFactory.getLogger(NettyExchange.class);

    final HttpConnection connection;
    final ListenerRoutes routes;
    final HttpRequest request;
    final RequestBodyState body;
    /** The request's Content-Length: -1 when it has none, {@link #INVALID_LENGTH} when it is not a number. */
    final long declaredLength;
    private final Channel channel;
    private final long startMillis;
    private final long connectionRequests;

    // routing state, set by RequestPhases
    String method;
    String uri;
    String args;
    VirtualServer server;
    LocationConfig location;
    String[] captures;
    int statusOverride = -1;
    int redirects;
    /** For a target in absolute form: its host, and the rest of it ($request_uri); null otherwise. */
    String targetHost;
    String targetUri;
    /** What the body of the response goes through, set by a header filter (gzip); null for none. */
    BodyEncoder encoder;
    /** The asynchronous filter the body goes through after {@link #encoder} (ssi); null for none. */
    BodyFilter filter;
    /** What the filter's output goes through (gzip chosen after ssi); null for none. */
    BodyEncoder afterFilter;
    private boolean filterOpen;
    /** A file being read for a filter as the client takes it ({@link #sendFilteredFile}); null otherwise. */
    private FileChannel pacedFile;
    /** What to free when the client's request ends early (its subrequests' open files); null for nothing. */
    private List<Runnable> lostTasks;
    /** Whether a rewrite step ever changed the URI of this request. */
    boolean rewritten;
    /** Whether a rewrite step changed the URI since the location was last looked up. */
    boolean uriChanged;
    boolean closeAfterResponse;
    /** Headers an access check refused with ({@code WWW-Authenticate}), kept for an {@code error_page}'s answer. */
    HttpHeaders refusalHeaders;

    private String requestId;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The client realip found, or null for the connection's peer. */
    private SocketAddress realClient;
    private Map<AttributeKey<?>, Object> attributes;
    private int status;
    private long bytesSent;
    private long bodyBytesSent;
    private HttpHeaders responseHeaders;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean keepAlive;
    private boolean finished;
    /** Bytes of the request read from the socket so far ({@link HeaderFoldGuard#requestBytes}). */
    AtomicLong requestLength = new AtomicLong();
    /** Whether the response went out whole ({@code $request_completion}). */
    private boolean completed;
    /** Whether the request came pipelined behind another ({@code $pipe}). */
    boolean pipelined;
    /** Whether the server's log handlers were told the request started. */
    private boolean startedInServer;
    private boolean aborted;

    NettyExchange(HttpConnection connection, ListenerRoutes routes, HttpRequest request, long startMillis,
            long connectionRequests) {
        this.connection = connection;
        this.routes = routes;
        this.request = request;
        this.channel = connection.channel();
        this.startMillis = startMillis;
        this.connectionRequests = connectionRequests;
        this.method = request.method().name();
        this.declaredLength = declaredLength(request);
        this.body = new RequestBodyState(channel.alloc(), new BodyEvents(), Math.max(-1L, declaredLength),
                HttpUtil.isTransferEncodingChunked(request));
    }

    /**
     * A subrequest's exchange ({@link SubrequestExchange}): on the parent's connection and with its
     * client address (realip's), its own request line, and a body of {@code bodyLength} bytes to
     * come (-1: none).
     */
    NettyExchange(NettyExchange parent, HttpRequest request, long bodyLength) {
        this.connection = parent.connection;
        this.routes = parent.routes;
        this.request = request;
        this.channel = connection.channel();
        this.startMillis = parent.nowMillis();
        this.connectionRequests = parent.connectionRequests;
        this.method = request.method().name();
        this.declaredLength = bodyLength;
        this.body = new RequestBodyState(channel.alloc(), RequestBodyState.Events.NONE, bodyLength, false);
        this.realClient = parent.realClient;
    }

    static final long INVALID_LENGTH = -2;

    private static long declaredLength(HttpRequest request) {
        try {
            return HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            return INVALID_LENGTH;
        }
    }

    // ---- RequestView ----

    @Override
    public String method() {
        return method;
    }

    @Override
    public String requestUri() {
        return targetUri != null ? targetUri : request.uri();
    }

    @Override
    public String targetHost() {
        return targetHost;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String args() {
        return args;
    }

    @Override
    public String protocol() {
        return request.protocolVersion().text();
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public SocketAddress remoteAddress() {
        return realClient != null ? realClient : connection.socket().remoteAddress();
    }

    @Override
    public SocketAddress connectionAddress() {
        return connection.socket().remoteAddress();
    }

    @Override
    public ProxyHeader proxyProtocol() {
        return connection.socket().attr(ProxyHeader.CHANNEL_KEY).get();
    }

    @Override
    public void realClientAddress(SocketAddress client) {
        realClient = client;
    }

    @Override
    public SocketAddress localAddress() {
        return connection.socket().localAddress();
    }

    @Override
    public String scheme() {
        return connection.socket().pipeline().get(SslHandler.class) != null ? "https" : "http";
    }

    @Override
    public String http2() {
        return connection.http2();
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession() {
        SslHandler tls = connection.socket().pipeline().get(SslHandler.class);
        return tls == null ? null : tls.engine().getSession();
    }

    @Override
    public boolean tlsSessionReused() {
        return TlsConnectionText.sessionReused(connection.socket().pipeline().get(SslHandler.class));
    }

    @Override
    public byte[] tlsSessionId() {
        return TlsConnectionText.sessionId(connection.socket().pipeline().get(SslHandler.class));
    }

    @Override
    public String alpnProtocol() {
        SslHandler tls = connection.socket().pipeline().get(SslHandler.class);
        return tls == null ? null : tls.applicationProtocol();
    }

    @Override
    public String serverName() {
        return server == null ? "" : server.primaryName();
    }

    @Override
    public long connectionId() {
        return connection.id();
    }

    @Override
    public long connectionRequests() {
        return connectionRequests;
    }

    @Override
    public String requestId() {
        if (requestId == null) {
            // 32 lowercase hex digits of two random longs, written out by hand: String.format was
            // the largest share of an API request's CPU and allocation
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long high = r.nextLong();
            long low = r.nextLong();
            byte[] hex = new byte[32];
            for (int i = 15; i >= 0; i--) {
                hex[i] = HEX_DIGITS[(int) (high & 15)];
                hex[16 + i] = HEX_DIGITS[(int) (low & 15)];
                high >>>= 4;
                low >>>= 4;
            }
            requestId = new String(hex, StandardCharsets.US_ASCII);
        }
        return requestId;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long requestLength() {
        return requestLength.get();
    }

    @Override
    public long connectionStartMillis() {
        return connection.startMillis();
    }

    @Override
    public long bodyBytesSent() {
        return bodyBytesSent;
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public long nowMillis() {
        return connection.context().clock.millis();
    }

    @Override
    public String capture(int n) {
        return captures != null && n < captures.length ? captures[n] : null;
    }

    @Override
    public String responseHeader(String name) {
        return responseHeaders == null ? null : responseHeaders.get(name);
    }

    Map<AttributeKey<?>, Object> attributes() {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        return attributes;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attribute(AttributeKey<T> key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    // ---- HttpExchange ----

    @Override
    public HttpHeaders requestHeaders() {
        return request.headers();
    }

    @Override
    public LocationConfig location() {
        return location;
    }

    @Override
    public String variable(String name) {
        Variable v = routes.config().variables().lookup(name);
        return v == null ? null : v.value(this);
    }

    @Override
    public <T> void setAttribute(AttributeKey<T> key, T value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(key, value);
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public ConnectionLimit connectionLimit() {
        return connection.context().connectionLimit;
    }

    @Override
    public ByteBuf body() {
        return body.aggregated();
    }

    @Override
    public RequestBody requestBody() {
        return body;
    }

    @Override
    public boolean responseStarted() {
        return responseStarted;
    }

    @Override
    public boolean isSubrequest() {
        return false;
    }

    @Override
    public CompletionStage<SubrequestResult> subrequest(Subrequest spec) {
        return subrequest(spec, null);
    }

    @Override
    public CompletionStage<SubrequestResult> subrequest(Subrequest spec, BodyOutput bodyOutput) {
        if (!eventLoop().inEventLoop()) {
            throw new IllegalStateException("subrequests start on the connection's event loop");
        }
        SubrequestExchange sub = new SubrequestExchange(this, spec, bodyOutput);
        RequestVariables.share(this, sub);
        if (attributes != null) {
            attributes.forEach((key, value) -> {
                if (key.isInherited()) {
                    sub.attributes().put(key, value);
                }
            });
        }
        sub.server = server;
        sub.location = location;
        sub.redirects = redirects; // the subrequest counts as one redirect more, whatever follows inside it
        sub.args = spec.args();
        sub.start(spec.uri());
        return sub.result();
    }

    @Override
    public CompletionStage<ByteBuf> bufferBody() {
        CompletableFuture<ByteBuf> whole = new CompletableFuture<>();
        if (!inLoop(() -> bufferBody().whenComplete((b, e) -> whole.complete(b)))) {
            return whole;
        }
        RequestPhases.continueIfExpected(this);
        body.buffer(() -> whole.complete(body.heldCopy()));
        return whole;
    }

    @Override
    public void sendError(int code) {
        if (!inLoop(() -> sendError(code))) {
            return;
        }
        RequestPhases.sendError(this, code);
    }

    @Override
    public void rewriteUri(String newUri, String newArgs) {
        uri = newUri;
        args = newArgs;
        uriChanged = true;
        rewritten = true;
    }

    @Override
    public Marker errorLog() {
        LocationConfig l = location != null ? location : server != null ? server.serverConfig() : null;
        return l == null ? null : l.errorLog();
    }

    @Override
    public void setArgs(String newArgs) {
        args = newArgs;
    }

    /** Whether the request was redirected or rewritten inside the server: what {@code internal} lets in. */
    boolean isInternal() {
        return redirects > 0 || rewritten;
    }

    @Override
    public void encodeBody(BodyEncoder bodyEncoder) {
        if (filter != null) {
            afterFilter = afterFilter == null ? bodyEncoder : new ChainedEncoder(afterFilter, bodyEncoder);
        } else {
            encoder = encoder == null ? bodyEncoder : new ChainedEncoder(encoder, bodyEncoder);
        }
    }

    @Override
    public void filterBody(BodyFilter bodyFilter) {
        if (filter != null) {
            throw new IllegalStateException("one body filter per response");
        }
        filter = bodyFilter;
    }

    /** Whether a header filter chose to change the body, so that its length is no longer known. */
    boolean bodyChanged() {
        return encoder != null || filter != null;
    }

    /** Gives the filter the next piece of the body, already through the encoders before it. */
    void filterPiece(ByteBuf piece) {
        openFilter();
        filter.write(encoded(piece));
    }

    /** Ends the filter's input with what the encoders before it still hold; the filter ends the body. */
    void filterEnd() {
        openFilter();
        filter.write(encodedEnd());
        filter.end();
    }

    private void openFilter() {
        if (!filterOpen) {
            filterOpen = true;
            filter.open(new FilterOutput());
        }
    }

    /** Frees what the encoders and filter hold when the body will not go through them. */
    void closeBodyChain() {
        if (encoder != null) {
            encoder.close();
        }
        if (filter != null) {
            filter.close();
        }
        if (afterFilter != null) {
            afterFilter.close();
        }
    }

    /** A piece of the filter's output, through the encoders after it, goes to the client. */
    void deliver(ByteBuf piece) {
        if (isAborted()) {
            piece.release();
            return;
        }
        countBody(piece.readableBytes());
        channel.writeAndFlush(new DefaultHttpContent(piece));
    }

    /** The filter ended its output: the last of it goes and the response is complete. */
    void deliverEnd(ByteBuf last) {
        if (isAborted()) {
            last.release();
            return;
        }
        countBody(last.readableBytes());
        finish(channel.writeAndFlush(new DefaultLastHttpContent(last)));
    }

    /** The filter cannot complete the body. */
    void deliverAbort() {
        abortConnection();
    }

    /** What a {@link BodyFilter} outputs: through the encoders after it to {@link #deliver}. */
    private final class FilterOutput implements BodyOutput {
        private boolean ended;

        @Override
        public void write(ByteBuf piece) {
            if (ended) {
                piece.release();
                return;
            }
            deliver(afterFilter == null ? piece : afterFilter.encode(piece));
        }

        @Override
        public void end() {
            if (ended) {
                return;
            }
            ended = true;
            ByteBuf last = Unpooled.EMPTY_BUFFER;
            if (afterFilter != null) {
                last = afterFilter.finish();
                afterFilter.close();
            }
            deliverEnd(last);
        }

        @Override
        public void abort() {
            if (ended) {
                return;
            }
            ended = true;
            if (afterFilter != null) {
                afterFilter.close();
            }
            deliverAbort();
        }
    }

    @Override
    public void limitRate(long bytesPerSecond, long after) {
        if (bytesPerSecond > 0) {
            connection.limitRate(bytesPerSecond, after);
        }
    }

    /** The encoded form of a piece of the body (the piece itself without an encoder). */
    ByteBuf encoded(ByteBuf piece) {
        return encoder == null ? piece : encoder.encode(piece);
    }

    /** The end of the body: what the encoder still holds, or nothing. */
    ByteBuf encodedEnd() {
        if (encoder == null) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf last = encoder.finish();
        encoder.close();
        return last;
    }

    @Override
    public void captures(Captures c) {
        captures = c.groups();
        c.setNamed(this);
    }

    @Override
    public void sendRedirect(int code, String location) {
        if (!inLoop(() -> sendRedirect(code, location))) {
            return;
        }
        RequestPhases.sendRedirect(this, code, location);
    }

    @Override
    public void internalRedirect(String target) {
        if (!inLoop(() -> internalRedirect(target))) {
            return;
        }
        RequestPhases.internalRedirect(this, target);
    }

    @Override
    public void internalRedirectAsGet(String target) {
        if (!inLoop(() -> internalRedirectAsGet(target))) {
            return;
        }
        if (!isHead()) {
            method = "GET";
        }
        RequestPhases.internalRedirect(this, target);
    }

    @Override
    public void respond(int code, String contentType, String text) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        respond(code, h, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Override
    public void respond(int code, HttpHeaders headers, ByteBuf content) {
        if (!inLoop(() -> respond(code, headers, content))) {
            return;
        }
        ByteBuf data = content == null ? Unpooled.EMPTY_BUFFER : content;
        if (!claimResponse()) {
            data.release();
            return;
        }
        int effective = effectiveStatus(code);
        boolean bodyless = bodyless(effective);
        DefaultHttpResponse head = head(effective, headers, bodyless ? -2 : data.readableBytes());
        channel.write(head);
        if (bodyless || isHead()) {
            data.release();
            closeBodyChain();
            finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        } else if (filter != null) {
            filterPiece(data);
            filterEnd();
        } else if (encoder != null) {
            ByteBuf body = encoded(data);
            ByteBuf end = encodedEnd();
            countBody(body.readableBytes() + end.readableBytes());
            channel.write(new DefaultHttpContent(body));
            finish(channel.writeAndFlush(new DefaultLastHttpContent(end)));
        } else {
            bodyBytesSent += data.readableBytes();
            bytesSent += data.readableBytes();
            finish(channel.writeAndFlush(new DefaultLastHttpContent(data)));
        }
    }

    @Override
    public void respondFile(int code, HttpHeaders headers, Path file, long length) {
        if (!inLoop(() -> respondFile(code, headers, file, length))) {
            return;
        }
        FileChannel fc = null;
        if (!isHead()) {
            try {
                fc = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                LOG.error(errorLog(), "open() \"{}\" failed ({})", file, e.getMessage());
                sendError(e instanceof AccessDeniedException ? 403 : 404);
                return;
            }
        }
        if (!claimResponse()) {
            closeQuietly(fc);
            return;
        }
        channel.write(head(effectiveStatus(code), headers, length));
        if (fc == null) {
            closeBodyChain();
            finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            return;
        }
        if (filter != null) {
            pacedFile = fc;
            sendFilteredFile(file, ByteBuffer.allocate(64 * 1024));
            return;
        }
        if (encoder != null) {
            sendEncodedFile(fc, file);
            return;
        }
        bodyBytesSent += length;
        bytesSent += length;
        channel.write(new DefaultFileRegion(fc, 0, length));
        finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    /**
     * A file whose body is encoded (gzip) cannot go zero-copy: it is read in blocks here and each
     * block's encoded form queued, the whole file before this turn ends (text files, small).
     */
    private void sendEncodedFile(FileChannel fc, Path file) {
        try (fc) {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            while (fc.read(block) > 0) {
                block.flip();
                ByteBuf piece = encoded(Unpooled.copiedBuffer(block));
                countBody(piece.readableBytes());
                channel.write(new DefaultHttpContent(piece));
                block.clear();
            }
        } catch (IOException e) {
            LOG.error(errorLog(), "read() \"{}\" failed ({})", file, e.getMessage());
            closeBodyChain();
            abortConnection();
            return;
        }
        ByteBuf end = encodedEnd();
        countBody(end.readableBytes());
        finish(channel.writeAndFlush(new DefaultLastHttpContent(end)));
    }

    /**
     * A file whose body goes through a filter (ssi) is read a block at a time, each handed to the
     * filter, and the next read only while the client's connection takes more and the filter does
     * not hold output back, so that a large file is never held whole.
     */
    private void sendFilteredFile(Path file, ByteBuffer block) {
        try {
            while (pacedFile != null) {
                if (!channel.isWritable()) {
                    connection.whenWritable(() -> sendFilteredFile(file, block));
                    return;
                }
                if (filter.holdsBack()) {
                    filter.whenFlowing(() -> eventLoop().execute(() -> sendFilteredFile(file, block)));
                    return;
                }
                block.clear();
                if (pacedFile.read(block) < 0) {
                    closePacedFile();
                    filterEnd();
                    return;
                }
                block.flip();
                filterPiece(Unpooled.copiedBuffer(block));
            }
        } catch (IOException e) {
            LOG.error(errorLog(), "read() \"{}\" failed ({})", file, e.getMessage());
            closePacedFile();
            closeBodyChain();
            abortConnection();
        }
    }

    /** The client's request this exchange serves: itself, or a subrequest's main request. */
    NettyExchange main() {
        return this;
    }

    /** Runs {@code task} if this (main) request ends early: the client went away or the response was aborted. */
    void whenLost(Runnable task) {
        if (lostTasks == null) {
            lostTasks = new ArrayList<>();
        }
        lostTasks.add(task);
    }

    private void runLostTasks() {
        if (lostTasks != null) {
            List<Runnable> run = lostTasks;
            lostTasks = null;
            run.forEach(Runnable::run);
        }
    }

    private void closePacedFile() {
        closeQuietly(pacedFile);
        pacedFile = null;
    }

    private static void closeQuietly(FileChannel fc) {
        if (fc != null) {
            try {
                fc.close();
            } catch (IOException ignored) {
                // nothing was read from it
            }
        }
    }

    @Override
    public ResponseStream startResponse(int code, HttpHeaders headers) {
        ExchangeResponseStream stream = new ExchangeResponseStream(this);
        if (!inLoop(() -> stream.start(code, headers))) {
            return stream;
        }
        stream.start(code, headers);
        return stream;
    }

    // ---- response internals ----

    private boolean inLoop(Runnable again) {
        if (eventLoop().inEventLoop()) {
            return true;
        }
        eventLoop().execute(again);
        return false;
    }

    /** Marks the response started; false (and a warning) if it already was or the client is gone. */
    boolean claimResponse() {
        if (aborted) {
            return false;
        }
        if (responseStarted) {
            LOG.warn(errorLog(), "a second response for \"{} {}\" was ignored", method, request.uri());
            return false;
        }
        responseStarted = true;
        return true;
    }

    boolean isHead() {
        return method.equals("HEAD");
    }

    int effectiveStatus(int code) {
        return statusOverride > 0 ? statusOverride : code;
    }

    static boolean bodyless(int code) {
        return code < 200 || code == 204 || code == 304;
    }

    /** The status line and headers (see {@link ResponseHead}); records status, keep-alive and sizes. */
    DefaultHttpResponse head(int code, HttpHeaders extra, long contentLength) {
        status = code;
        ResponseHead head = ResponseHead.build(this, code, extra, contentLength,
                connection.mayKeepAlive(this) && !closeAfterResponse);
        keepAlive = head.keepAlive();
        responseHeaders = head.response().headers();
        bytesSent += head.size();
        return head.response();
    }

    void countBody(long n) {
        bodyBytesSent += n;
        bytesSent += n;
    }

    boolean isCompleted() {
        return completed;
    }

    Channel channel() {
        return channel;
    }

    boolean isAborted() {
        return aborted;
    }

    void finish(ChannelFuture lastWrite) {
        if (!lastWrite.isDone()) {
            connection.watchSend(); // send_timeout: the response must keep going out
        }
        lastWrite.addListener((ChannelFutureListener) f -> {
            responseDone = true;
            if (!f.isSuccess()) {
                aborted = true;
                channel.close();
            }
            complete();
        });
    }

    /** The body finished arriving or the response finished going; done when both are. */
    private void complete() {
        if (finished || !responseDone) {
            return;
        }
        if (!body.isComplete() && !closeAfterResponse && !aborted && keepAlive) {
            return; // still discarding the rest of the body; BodyEvents.completed comes back here
        }
        finished = true;
        completed = !aborted;
        ended();
        body.release();
        connection.exchangeComplete(this, keepAlive && body.isComplete() && !aborted && !closeAfterResponse);
    }

    /** 444, or a response that cannot be completed: close without (further) answer. */
    void abortConnection() {
        aborted = true;
        closePacedFile();
        closeBodyChain();
        runLostTasks();
        if (!finished) {
            finished = true;
            if (!responseStarted) {
                status = 444;
            }
            ended();
            body.release();
        }
        channel.close();
    }

    /** The connection closed under the exchange. */
    void connectionLost() {
        aborted = true;
        closePacedFile();
        closeBodyChain();
        runLostTasks();
        if (!finished) {
            finished = true;
            if (!responseStarted) {
                status = 499;
            }
            body.abort(new IOException("client closed the connection"));
            ended();
        }
    }

    /** Reading the body timed out (408) or its framing was broken (400): answer if possible, then close. */
    void bodyTimedOutOrBroken(int code) {
        closeAfterResponse = true;
        body.abort(new IOException(code == 408 ? "client timed out sending the request body"
                : "client sent an invalid request body"));
        if (!responseStarted) {
            RequestPhases.sendError(this, code);
        } else {
            abortConnection();
        }
    }

    boolean isFinished() {
        return finished;
    }

    /** The request was given to its server (see {@link LogHandler#requestStarted}). */
    void startInServer() {
        if (startedInServer) {
            return;
        }
        startedInServer = true;
        for (LogHandler h : server.serverConfig().logHandlers()) {
            h.requestStarted(this);
        }
    }

    /** nginx's log phase, once per request: its access log lines, then the log handlers. */
    private void ended() {
        connection.context().connectionLimit.stats().requestEnded(channel);
        log();
        startInServer(); // a request refused before its Host was read counts in the default server
        runLogHandlers(server.serverConfig().logHandlers());
        if (location != null && location != server.serverConfig()) {
            runLogHandlers(location.logHandlers());
        }
    }

    private void runLogHandlers(List<LogHandler> handlers) {
        for (LogHandler h : handlers) {
            try {
                h.requestEnded(this);
            } catch (RuntimeException e) {
                LOG.error(errorLog(), "log handler {} failed for \"{}\"", h, requestUri(), e);
            }
        }
    }

    private void log() {
        LocationConfig loc = location;
        if (loc == null) {
            return;
        }
        for (AccessLog log : loc.accessLogs()) {
            try {
                if (log.accepts(this)) {
                    connection.context().logWriter.write(log, log.format().format(this));
                }
            } catch (RuntimeException e) {
                LOG.error(errorLog(), "formatting access log line for \"{}\" failed", log.path(), e);
            }
        }
    }

    private final class BodyEvents implements RequestBodyState.Events {
        @Override
        public void pauseReading(boolean paused) {
            connection.pauseForBody(paused);
        }

        @Override
        public void tooLarge() {
            closeAfterResponse = true;
            LOG.info(errorLog(), "client intended to send too large body: more than {} bytes", location == null ? 0
                    : location.clientMaxBodySize());
            if (!responseStarted) {
                statusOverride = -1;
                RequestPhases.sendError(NettyExchange.this, 413);
            }
        }

        @Override
        public void completed() {
            connection.requestBodyComplete();
            complete();
        }
    }
}
