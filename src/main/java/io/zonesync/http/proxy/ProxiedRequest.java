package io.zonesync.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.zonesync.http.core.BodyReceiver;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.net.LocalBind;
import io.zonesync.http.core.RequestVariables;
import io.zonesync.http.core.ResponseStream;
import io.zonesync.http.proxycache.CacheFill;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.Outcome;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.StickyPolicy;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.tls.HandshakeCount;
import io.zonesync.tls.UpstreamTls;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through {@code proxy_pass}: choose a server, connect (or take a cached
 * connection), stream the request body up and the response down with backpressure both ways, and
 * on an error, a timeout or a status listed in {@code proxy_next_upstream} try the next server
 * while nginx's rules allow it. Ends with the upstream's response, 502 (error, invalid header, no
 * live upstreams) or 504 (timeout); a failure after the response started closes the client
 * connection; 500 when worker_connections leave no room for the upstream connection. Everything runs
 * on the client connection's event loop.
 *
 * <p>Longer than most classes: it is the one state machine of a proxied request (as nginx's
 * ngx_http_upstream is), and splitting its states apart would spread one retry decision over
 * several classes.
 */
final class ProxiedRequest implements BodyReceiver, UpstreamHandler.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedRequest.class);
    /** Set once a proxied pass of the exchange took the client's body (it can be read once). */
    private static final AttributeKey<Boolean> BODY_TAKEN = AttributeKey.named("request body taken by proxy");
    private static final String ACCEL_REDIRECT = "X-Accel-Redirect";
    private static final String ACCEL_LIMIT_RATE = "X-Accel-Limit-Rate";
    private static final String REFRESH = "Refresh";
    /** What nginx keeps of a response with X-Accel-Redirect. */
    private static final List<CharSequence> ACCEL_CARRIED = List.of(HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.SET_COOKIE, "Content-Disposition", HttpHeaderNames.CACHE_CONTROL,
            HttpHeaderNames.EXPIRES, HttpHeaderNames.ACCEPT_RANGES);

    private final HttpExchange ex;
    private final ProxyRoute route;
    private final UpstreamGroup group;
    private final EventLoop loop;
    private Attempts attempts;
    private final UpstreamTrail trail = new UpstreamTrail();
    private final BodyBuffer body = new BodyBuffer();
    private final long startedAt;
    private StickyPolicy.StickyRequest sticky;
    private int tries;

    private boolean bodyEnded;
    private boolean finished;

    // the current attempt
    private Peer peer;
    private boolean holding;
    private Channel ch;
    private boolean reused;
    private boolean headSent;
    private boolean requestSent;
    private boolean sentClose;
    private long sent;
    private long received;
    /** While the request waits in the upstream's {@code queue}: how it is woken, and its timeout. */
    private Runnable queued;
    private ScheduledFuture<?> queueTimer;
    /** When the attempt started and when it had the response header (nanos), for the API's times. */
    private long attemptStart;
    private long headerAt;
    private HttpResponse response;
    private boolean skipInformational;
    private final AttemptTimers timers;
    /** The request head every attempt sends. */
    private HttpRequest head;
    private int attemptNo;

    private ResponseRelay out;
    /** What the cache does with the answer (proxy_cache), or null. */
    private final CacheFill cache;
    /** The proxy_cache_use_stale word of the last failed attempt. */
    private String failure = "error";

    /** proxy_pass_request_body off or proxy_set_body: the client's body is read and dropped. */
    private final boolean dropBody;
    private long dropped;
    private boolean subscribing;
    /** The client's body was taken by an earlier pass of this exchange. */
    private boolean bodyGone;
    /** The proxy_set_body bytes of this request, or null. */
    private byte[] setBody;

    ProxiedRequest(HttpExchange ex, ProxyRoute route, long now, CacheFill cache) {
        this.cache = cache;
        this.ex = ex;
        this.route = route;
        this.group = route.group();
        this.loop = ex.eventLoop();
        this.attempts = group.newAttempts();
        this.startedAt = now;
        this.timers = new AttemptTimers(loop, route.settings().readTimeoutMs(), route.settings().sendTimeoutMs());
        this.dropBody = route.settings().dropsClientBody();
    }

    void start() {
        ex.setAttribute(UpstreamTrail.KEY, trail);
        ex.setAttribute(UpstreamTrail.PROXY_HOST, route.proxyHost());
        StickyPolicy policy = group.sticky();
        sticky = policy == null ? null : policy.begin(ex);
        if (ex.attribute(BODY_TAKEN) != null) {
            // an earlier pass (before X-Accel-Redirect or an error_page) took the body: none goes up now
            bodyGone = true;
            bodyEnded = true;
        } else {
            ex.setAttribute(BODY_TAKEN, Boolean.TRUE);
            subscribing = true;
            ex.requestBody().subscribe(this);
            subscribing = false;
        }
        if (finished || (dropBody && !bodyEnded)) {
            // a body not passed on is read to its end first, as nginx reads it before connecting
            return;
        }
        begin();
    }

    private void begin() {
        try {
            setBody = route.setBody(ex);
            head = route.head(ex, bodyGone ? -1 : dropped, setBody);
            if (cache != null) {
                cache.prepare(head, route.settings()::setsHeader);
            }
        } catch (IllegalArgumentException e) {
            // a header value from the request (proxy_set_header X $uri with %0A in the path, ...) that no
            // HTTP message may carry
            LOG.info(ex.errorLog(), "client sent a request that cannot be passed to upstream \"{}\": {}", group.name(),
                    e.getMessage());
            finish(400);
            return;
        }
        nextAttempt();
    }

    // ---- choosing and connecting ----

    private void nextAttempt() {
        Peer p = group.select(attempts, sticky == null ? null : sticky.hint(), ex);
        // as NGINX Plus: also a retry that finds no server free waits, while the request has tries left
        if (p == null && attempts.remaining() > 0 && group.spec().queueMax() > 0) {
            queueFor(group);
            return;
        }
        if (queueTimer != null) {
            queueTimer.cancel(false);
            queueTimer = null;
        }
        if (p == null) {
            if (tries == 0) {
                LOG.error(ex.errorLog(), "no live upstreams while connecting to upstream \"{}\", request \"{} {}\"",
                        group.name(),
                        ex.method(), ex.requestUri());
                trail.attempt(group.name());
                trail.status(502);
            }
            finish(502);
            return;
        }
        tries++;
        attemptNo++;
        peer = p;
        holding = true;
        reused = false;
        headSent = false;
        requestSent = false;
        sent = 0;
        received = 0;
        response = null;
        attemptStart = System.nanoTime();
        trail.attempt(p.addressText());
        Channel cached = group.pool().acquire(loop, p);
        if (cached != null) {
            reused = true;
            attach(cached);
            return;
        }
        ConnectionLimit limit = ex.connectionLimit();
        if (!limit.takeClientSlot()) {
            // worker_connections are used up (the alert says so): nginx answers 500, the server is not to blame
            releasePeer(Outcome.OK);
            finish(500);
            return;
        }
        int attempt = attemptNo;
        ProxyBind bind = route.settings().bind();
        ChannelFuture f = UpstreamConnector.connect(loop, p.spec().address(), route.settings().connectTimeoutMs(),
                bind == null ? null : bind.of(ex), route.settings().socketKeepalive());
        f.addListener(done -> {
            if (done.isSuccess()) {
                limit.holdUntilClosed(f.channel());
            } else {
                limit.release();
            }
            if (finished || attempt != attemptNo) {
                f.channel().close();
            } else if (done.isSuccess() && route.tls() != null) {
                handshake(f.channel(), attempt);
            } else if (done.isSuccess()) {
                attach(f.channel());
            } else if (done.cause() instanceof LocalBind.BindFailed) {
                // as nginx: the server is not to blame, and no other is tried
                LOG.error(ex.errorLog(), "{} while connecting to upstream{}", done.cause().getMessage(),
                        ex.errorContext());
                releasePeer(Outcome.OK);
                finish(500);
            } else {
                Throwable cause = done.cause();
                boolean timeout = cause instanceof ConnectTimeoutException;
                failAttempt(timeout ? NextUpstream.TIMEOUT : NextUpstream.ERROR, (timeout ? "upstream timed out"
                        : "connect() failed (" + cause.getMessage() + ")") + " while connecting to upstream");
            }
        });
    }

    /** proxy_pass https: the TLS handshake within proxy_connect_timeout, then the request. */
    private void handshake(Channel c, int attempt) {
        ProxyTls tls = route.tls();
        String name = tls.nameFor(ex);
        SslHandler h = tls.handler(c.alloc(), name, peer.spec().address(), route.settings().connectTimeoutMs());
        c.pipeline().addFirst("tls", h);
        Peer tried = peer;
        h.handshakeFuture().addListener(done -> {
            if (finished || attempt != attemptNo) {
                c.close(); // abandoned by the request, not ended by the server: not counted
                return;
            }
            HandshakeCount.dialled(h, done.cause(), group.handshakes(tried), ex.connectionLimit().stats().handshakes());
            if (done.isSuccess()) {
                attach(c);
            } else {
                c.close();
                failAttempt(UpstreamTls.isTimeout(done.cause()) ? NextUpstream.TIMEOUT : NextUpstream.ERROR,
                        UpstreamTls.failureWords(done.cause(), name) + " while SSL handshaking to upstream");
            }
        });
    }

    private void attach(Channel c) {
        trail.connected();
        ch = c;
        UpstreamConnector.handler(c).listener(this);
        c.config().setAutoRead(true);
        sentClose = "close".equalsIgnoreCase(head.headers().get("Connection"));
        c.write(head);
        headSent = true;
        body.rewind();
        sendBody();
    }

    // ---- request body, client to upstream ----

    @Override
    public void onData(ByteBuf chunk) {
        if (finished || dropBody) {
            dropped += chunk.readableBytes();
            chunk.release();
            return;
        }
        body.add(chunk);
        if (ch != null && headSent) {
            sendBody();
        } else if (body.unsentBytes() > BodyBuffer.REPLAY_LIMIT) {
            ex.requestBody().pause();
        }
    }

    @Override
    public void onEnd() {
        bodyEnded = true;
        if (dropBody && !subscribing && !finished && head == null) {
            begin();
        } else if (!finished && ch != null && headSent) {
            sendBody();
        }
    }

    @Override
    public void onError(Throwable cause) {
        // the client went away, timed out, or sent too large a body (answered 413 by the server)
        if (!finished) {
            LOG.info(ex.errorLog(), "client stopped sending the request body ({}) while proxying to upstream \"{}\"",
                    cause.getMessage(), group.name());
            abandon(Outcome.OK);
        }
    }

    private void sendBody() {
        if (setBody != null && !requestSent && setBody.length > 0) {
            ch.write(new DefaultHttpContent(Unpooled.wrappedBuffer(setBody)));
            sent += setBody.length;
        }
        sent += body.writeTo(ch);
        if (bodyEnded && !requestSent) {
            ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
            requestSent = true;
            armReadTimer();
        }
        ch.flush();
        if (!ch.isWritable()) {
            ex.requestBody().pause();
            int attempt = attemptNo;
            timers.armSend(() -> {
                if (attempt == attemptNo && !finished) {
                    failAttempt(NextUpstream.TIMEOUT, "upstream timed out while sending request to upstream");
                }
            });
        } else {
            ex.requestBody().resume();
        }
    }

    @Override
    public void onWritable() {
        timers.cancelSend();
        if (!finished) {
            ex.requestBody().resume();
        }
    }

    // ---- response, upstream to client ----

    @Override
    public void onResponse(HttpResponse r) {
        armReadTimer();
        if (r.decoderResult().isFailure()) {
            failAttempt(NextUpstream.INVALID_HEADER, "upstream sent an invalid header ("
                    + r.decoderResult().cause().getMessage() + ") while reading response header from upstream");
            return;
        }
        int status = r.status().code();
        if (status >= 100 && status < 200) {
            skipInformational = true;
            return;
        }
        response = r;
        headerAt = System.nanoTime();
        trail.headerReceived();
        trail.status(status);
        trail.headers(r.headers());
        NextUpstream condition = NextUpstream.forStatus(status);
        if (condition != null && route.settings().next().contains(condition) && mayRetry()) {
            group.account(peer, status, sent, received);
            dropConnection();
            releasePeer(condition.countsAsFailure() ? Outcome.FAILED : Outcome.NEXT);
            nextAttempt();
            return;
        }
        if (status >= 300 && route.settings().interceptErrors() && ex.location().errorPages().containsKey(status)) {
            // proxy_intercept_errors: the location's error_page answers instead of the upstream's body
            group.account(peer, status, sent, received);
            dropConnection();
            releasePeer(Outcome.OK);
            finish(status);
            return;
        }
        String accel = r.headers().get(ACCEL_REDIRECT);
        if (accel != null && route.settings().followAccelRedirect()) {
            followAccelRedirect(status, accel);
            return;
        }
        String rate = r.headers().get(ACCEL_LIMIT_RATE);
        if (rate != null && route.settings().followAccelLimitRate() && !rate.isEmpty()
                && rate.length() < 19 && rate.chars().allMatch(Character::isDigit)) {
            RequestVariables.set(ex, "limit_rate", rate); // as nginx: a number of bytes a second, else ignored
        }
        HttpHeaders headers = route.settings().responseHeaders().forClient(r.headers());
        String location = headers.get(HttpHeaderNames.LOCATION);
        if (location != null) {
            headers.set(HttpHeaderNames.LOCATION, route.redirects().location(location, ex));
        }
        String refresh = headers.get(REFRESH);
        if (refresh != null) {
            headers.set(REFRESH, route.redirects().refresh(refresh, ex));
        }
        rewriteCookies(headers);
        if (sticky != null) {
            sticky.onHeaders(peer, headers);
        }
        if (headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
            // after an X-Accel-Redirect here, this upstream's type wins over the first one's, as in nginx
            UpstreamHeaderCarry.drop(ex, HttpHeaderNames.CONTENT_TYPE);
        }
        HttpHeaders own = ResponseHeaders.takeNodeHeaders(headers);
        if (own != null) {
            UpstreamHeaderCarry.carry(ex, own);
        }
        ResponseStream stream = cache == null ? ex.startResponse(status, headers)
                : cache.respond(status, r.headers(), headers);
        out = new ResponseRelay(stream);
        UpstreamHeaderCarry.clear(ex);
    }

    /** proxy_cookie_domain, proxy_cookie_path, proxy_cookie_flags on every Set-Cookie. */
    private void rewriteCookies(HttpHeaders headers) {
        CookieRewrite cookies = route.settings().cookies();
        if (cookies.isEmpty() || !headers.contains(HttpHeaderNames.SET_COOKIE)) {
            return;
        }
        List<String> values = headers.getAll(HttpHeaderNames.SET_COOKIE);
        headers.remove(HttpHeaderNames.SET_COOKIE);
        for (String v : values) {
            String changed = cookies.apply(v, ex);
            headers.add(HttpHeaderNames.SET_COOKIE, changed == null ? v : changed);
        }
    }

    /**
     * The upstream answered with X-Accel-Redirect: as nginx, the upstream is done with, the
     * response's Content-Type, Set-Cookie (rewritten), Content-Disposition, Cache-Control, Expires
     * and Accept-Ranges go to the response of the named location or URI the request is redirected
     * to (a URI with the method made GET), and a URI climbing out with {@code ..} is answered 404.
     */
    private void followAccelRedirect(int status, String target) {
        HttpHeaders carried = new DefaultHttpHeaders();
        for (CharSequence name : ACCEL_CARRIED) {
            for (String v : response.headers().getAll(name)) {
                carried.add(name, v);
            }
        }
        rewriteCookies(carried);
        group.account(peer, status, sent, received);
        dropConnection();
        releasePeer(Outcome.OK);
        trail.ended();
        finished = true;
        body.release();
        UpstreamHeaderCarry.carry(ex, carried);
        if (target.startsWith("@")) {
            ex.internalRedirect(target);
        } else if (AccelRedirect.isSafe(target)) {
            ex.internalRedirectAsGet(target);
        } else {
            LOG.error(ex.errorLog(), "unsafe URI \"{}\" was detected in X-Accel-Redirect from upstream \"{}\"", target,
                    group.name());
            ex.sendError(404);
        }
    }

    @Override
    public void onContent(HttpContent c) {
        if (skipInformational) {
            skipInformational = !(c instanceof LastHttpContent);
            c.release();
            return;
        }
        if (out == null) {
            c.release();
            return;
        }
        armReadTimer();
        ByteBuf data = c.content();
        received += data.readableBytes();
        if (data.isReadable()) {
            Channel upstream = ch;
            out.pass(data, upstream, () -> ch == upstream, () -> {
                if (!finished && ch == upstream) {
                    LOG.info(ex.errorLog(),
                            "client closed the connection while the response from upstream \"{}\" was being sent",
                            group.name());
                    abandon(Outcome.OK);
                }
            });
        } else {
            c.release();
        }
        if (c instanceof LastHttpContent) {
            complete();
        }
    }

    private void complete() {
        trail.ended();
        cancelTimers();
        out.end();
        group.account(peer, response.status().code(), sent, received);
        group.timed(peer, (headerAt - attemptStart) / 1_000_000, (System.nanoTime() - attemptStart) / 1_000_000);
        if (sticky != null) {
            sticky.onComplete(peer);
        }
        Channel c = ch;
        ch = null;
        UpstreamConnector.handler(c).listener(null);
        if (requestSent && !sentClose && HttpUtil.isKeepAlive(response) && group.pool().enabled()) {
            group.pool().release(loop, peer, c);
        } else {
            c.close();
        }
        releasePeer(Outcome.OK);
        finished = true;
        body.release();
    }

    @Override
    public void onClosed() {
        if (finished || ch == null) {
            return;
        }
        if (out != null) {
            LOG.error(ex.errorLog(), "upstream prematurely closed connection while reading upstream \"{}\" ({})",
                    group.name(),
                    peer.addressText());
            abandon(Outcome.OK);
            return;
        }
        if (reused && received == 0 && response == null && body.canResend()) {
            // a cached connection the server had closed: try again on a fresh one, not counted
            dropConnection();
            releasePeer(Outcome.OK);
            attempts.refund();
            attempts.forget(peer);
            nextAttempt();
            return;
        }
        failAttempt(NextUpstream.ERROR, "upstream prematurely closed connection while reading response header"
                + " from upstream");
    }

    @Override
    public void onFailure(Throwable cause) {
        if (finished || ch == null) {
            return;
        }
        if (out != null) {
            LOG.error(ex.errorLog(), "upstream \"{}\" ({}) failed while sending the response: {}",
                    group.name(), peer.addressText(),
                    cause.toString());
            abandon(Outcome.OK);
        } else if (cause instanceof DecoderException) {
            failAttempt(NextUpstream.INVALID_HEADER, "upstream sent an invalid header (" + cause.getMessage()
                    + ") while reading response header from upstream");
        } else {
            failAttempt(NextUpstream.ERROR, "error (" + cause.getMessage() + ") while talking to upstream");
        }
    }

    private void armReadTimer() {
        int attempt = attemptNo;
        timers.armRead(() -> {
            if (attempt != attemptNo || finished) {
                return;
            }
            if (out != null) {
                LOG.error(ex.errorLog(), "upstream timed out while reading upstream \"{}\" ({})",
                        group.name(), peer.addressText());
                // As nginx, which frees the peer without a failure once the response has started.
                abandon(Outcome.OK);
            } else {
                failAttempt(NextUpstream.TIMEOUT, "upstream timed out while reading response header from upstream");
            }
        });
    }

    // ---- failure ----

    /** The attempt gave no usable response: count it, then try the next server or answer 502/504. */
    private void failAttempt(NextUpstream condition, String message) {
        int status = condition == NextUpstream.TIMEOUT ? 504 : 502;
        failure = condition.name().toLowerCase(java.util.Locale.ROOT);
        LOG.error(ex.errorLog(), "{}, client: {}, upstream: \"{}\" ({}), request: \"{} {}\"", message,
                CoreVariables.addressText(ex.remoteAddress()), group.name(),
                peer.addressText(), ex.method(), ex.requestUri());
        trail.status(status);
        dropConnection();
        releasePeer(Outcome.FAILED);
        if (route.settings().next().contains(condition) && mayRetry()) {
            nextAttempt();
        } else {
            finish(status);
        }
    }

    /** nginx's rules for passing a request on: tries left, body resendable, then the settings' limits. */
    private boolean mayRetry() {
        return attempts.remaining() > 0 && body.canResend()
                && route.settings().allowsNext(tries, ex.nowMillis() - startedAt, ex.method(), headSent);
    }

    /**
     * {@code queue}: no server could take the request (at its first try or a later one); it waits
     * for one to free up (woken by the group, on this loop) until the queue's timeout, or gets 502
     * at once when the queue is full. A retry keeps the servers it tried out of its next choice.
     */
    private void queueFor(UpstreamGroup g) {
        Runnable wake = new Runnable() {
            @Override
            public void run() {
                loop.execute(() -> {
                    if (queued == this) {
                        queued = null;
                        if (!finished) {
                            if (tries == 0) {
                                attempts = g.newAttempts(); // nothing tried yet: as many tries as servers now
                            }
                            nextAttempt();
                        }
                    }
                });
            }
        };
        if (!g.enqueue(wake)) {
            LOG.error("upstream queue is full while connecting to upstream \"{}\", request \"{} {}\"", g.name(),
                    ex.method(), ex.requestUri());
            trail.attempt(g.name());
            trail.status(502);
            finish(502);
            return;
        }
        queued = wake;
        if (queueTimer == null) {
            queueTimer = loop.schedule(() -> {
                queueTimer = null;
                Runnable w = queued;
                if (w != null && g.leaveQueue(w)) {
                    queued = null;
                    LOG.error("upstream queue timed out while connecting to upstream \"{}\", request \"{} {}\"",
                            g.name(), ex.method(), ex.requestUri());
                    trail.attempt(g.name());
                    trail.status(502);
                    finish(502);
                }
            }, g.spec().queueTimeoutMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Out of the queue for good: the request ended some other way. */
    private void leaveQueue() {
        if (queued != null) {
            group.leaveQueue(queued);
            queued = null;
        }
        if (queueTimer != null) {
            queueTimer.cancel(false);
            queueTimer = null;
        }
    }

    /** Ends without a usable response: an error page. */
    private void finish(int status) {
        leaveQueue();
        trail.ended();
        finished = true;
        cancelTimers();
        body.release();
        if (cache != null && status >= 502 && cache.serveStale(failure)) {
            cache.done();
            return;
        }
        ex.sendError(status);
        if (cache != null) {
            cache.done();
        }
    }

    /** Gives up mid-way (client gone, or upstream failed after the response started). */
    private void abandon(Outcome outcome) {
        leaveQueue();
        trail.ended();
        finished = true;
        cancelTimers();
        if (holding) {
            group.account(peer, response == null ? 0 : response.status().code(), sent, received);
            dropConnection();
            releasePeer(outcome);
        }
        body.release();
        if (out != null) {
            out.abort();
        }
        if (cache != null) {
            cache.done();
        }
    }

    private void releasePeer(Outcome outcome) {
        if (holding) {
            holding = false;
            group.release(peer, outcome, attempts);
        }
    }

    private void dropConnection() {
        cancelTimers();
        attemptNo++;
        Channel c = ch;
        ch = null;
        if (c != null) {
            UpstreamConnector.handler(c).listener(null);
            c.close();
        }
    }

    private void cancelTimers() {
        timers.cancelAll();
    }
}
