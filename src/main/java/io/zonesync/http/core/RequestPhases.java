package io.zonesync.http.core;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.zonesync.http.vars.HostHeader;
import io.zonesync.tls.ClientVerify;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's request phases for one exchange, on the event loop: read the request line and Host,
 * choose the server and run its rewrite steps, find the location, check
 * {@code client_max_body_size}, run the location's rewrite steps, its access handlers, then its
 * content handler with the body as it asks. Also errors ({@code error_page}) and internal redirects.
 */
final class RequestPhases {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPhases.class);
    private static final int MAX_INTERNAL_REDIRECTS = 10;

    private RequestPhases() {
    }

    static void start(NettyExchange ex) {
        ex.server = ex.routes.endpoint().serversFor(ex.localAddress()).defaultServer();
        ex.location = ex.server.serverConfig();
        DecoderResult dr = ex.request.decoderResult();
        if (dr.isFailure()) {
            ex.uri = "/";
            ex.closeAfterResponse = true;
            LOG.info(ex.errorLog(), "client sent invalid request: {}",
                    dr.cause() == null ? "?" : dr.cause().getMessage());
            sendError(ex, dr.cause() instanceof TooLongHttpLineException ? 414 : 400);
            return;
        }
        if (headerTooLarge(ex)) {
            return;
        }
        if (ex.declaredLength == NettyExchange.INVALID_LENGTH) {
            ex.uri = "/";
            ex.closeAfterResponse = true;
            LOG.info(ex.errorLog(), "client sent invalid \"Content-Length\" header");
            sendError(ex, 400);
            return;
        }
        if (ex.request.protocolVersion().majorVersion() != 1 && !ex.connection.isStream()) {
            ex.uri = "/";
            ex.closeAfterResponse = true;
            sendError(ex, 505);
            return;
        }
        String target = ex.request.uri();
        String hostFromTarget = null;
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int hostStart = target.indexOf("//") + 2;
            int slash = target.indexOf('/', hostStart);
            int q = target.indexOf('?', hostStart);
            int end = slash >= 0 ? slash : q >= 0 ? q : target.length();
            hostFromTarget = target.substring(hostStart, end);
            target = slash >= 0 ? target.substring(slash) : "/" + target.substring(end);
            ex.targetHost = hostFromTarget;
            ex.targetUri = target;
        }
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        ex.args = q >= 0 ? target.substring(q + 1) : null;
        ex.uri = UriPath.normalize(path);
        if (ex.uri == null || hasSpaceOrControl(ex.request.uri())) {
            ex.uri = "/";
            ex.closeAfterResponse = true;
            LOG.info(ex.errorLog(), "client sent invalid request target \"{}\"", shorten(ex.request.uri()));
            sendError(ex, 400);
            return;
        }
        String host = hostFromTarget;
        List<String> hosts = ex.request.headers().getAll(HttpHeaderNames.HOST);
        if (host == null && hosts.size() > 1) {
            ex.closeAfterResponse = true;
            sendError(ex, 400);
            return;
        }
        if (host == null && hosts.size() == 1) {
            host = hosts.get(0);
        }
        String validHost = "";
        if (host != null) {
            validHost = HostHeader.validate(host);
            if (validHost == null) {
                ex.closeAfterResponse = true;
                LOG.info(ex.errorLog(), "client sent invalid host header \"{}\"", shorten(host));
                sendError(ex, 400);
                return;
            }
        } else if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            ex.closeAfterResponse = true;
            LOG.info(ex.errorLog(), "client sent HTTP/1.1 request without \"Host\" header");
            sendError(ex, 400);
            return;
        }
        ex.server = ex.routes.endpoint().serversFor(ex.localAddress()).find(validHost);
        ex.location = ex.server.serverConfig();
        Captures fromName = ex.server.nameCaptures(validHost);
        if (fromName != null) {
            ex.captures(fromName);
        }
        ex.startInServer();
        if (refusedCertificate(ex)) {
            return;
        }
        if (rewrite(ex) == RewriteHandler.Outcome.ANSWERED) {
            return;
        }
        findLocation(ex);
        runLocation(ex);
    }

    /**
     * The server's {@code ssl_verify_client} on the request's TLS session, as nginx checks it once
     * the server is known: a certificate that fails, or none where one is required, is answered
     * 400 with nginx's page for it. True when it answered.
     */
    private static boolean refusedCertificate(NettyExchange ex) {
        SSLSession session = ex.tlsSession();
        int refusal = ex.server.clientVerify().refusal(session);
        if (refusal == 0) {
            return false;
        }
        String detail;
        if (refusal == ClientVerify.NO_CERT) {
            LOG.info(ex.errorLog(), "client sent no required SSL certificate while reading client request headers{}",
                    ex.errorContext());
            detail = "No required SSL certificate was sent";
        } else {
            ClientVerify.Failure f = ClientVerify.failure(session);
            LOG.info(ex.errorLog(), "client SSL certificate verify error: ({}:{}) while reading client request"
                    + " headers{}", f.code(), f.reason(), ex.errorContext());
            detail = "The SSL certificate error";
        }
        ex.closeAfterResponse = true;
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        ex.respond(400, h, Unpooled.wrappedBuffer(StatusPages.page(400, detail, ex.location.serverTokens())));
        return true;
    }

    /** As nginx (since 1.21.1), a request line with a space or a control character in its target is refused. */
    private static boolean hasSpaceOrControl(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** The validated host of the request ("" when none), for redirects: the target's, else Host. */
    static String hostOf(NettyExchange ex) {
        String h = ex.targetHost != null ? ex.targetHost : ex.request.headers().get(HttpHeaderNames.HOST);
        String v = h == null ? null : HostHeader.validate(h);
        return v == null ? "" : v;
    }

    private static void findLocation(NettyExchange ex) {
        LocationTree.Match m = ex.server.locations().find(ex.uri);
        if (m.captures() != null) {
            ex.captures(m.captures());
        } else {
            ex.captures = null;
        }
        ex.location = m.location() == null ? ex.server.serverConfig() : m.location().config();
    }

    private static void runLocation(NettyExchange ex) {
        LocationConfig loc = ex.location;
        if (loc.internal() && !ex.isInternal()) {
            sendError(ex, 404); // as nginx: an internal location does not exist for the client
            return;
        }
        // as nginx's find-config phase: the declared length is checked before the location's return
        long max = loc.clientMaxBodySize();
        long declared = ex.declaredLength;
        if (max > 0 && declared > max && ex.body.mode() == RequestBodyState.Mode.HOLD) {
            LOG.info(ex.errorLog(), "client intended to send too large body: {} bytes, client_max_body_size is {}",
                    declared, max);
            ex.closeAfterResponse = true;
            sendError(ex, 413);
            return;
        }
        ex.body.limit(max);
        // a server's own steps ran before the location was looked up, even when none matched
        if (loc != ex.server.serverConfig()) {
            ex.uriChanged = false;
            RewriteHandler.Outcome o = rewrite(ex);
            if (o == RewriteHandler.Outcome.ANSWERED) {
                return;
            }
            if (o == RewriteHandler.Outcome.LAST || (o == RewriteHandler.Outcome.NEXT && ex.uriChanged)) {
                if (++ex.redirects > MAX_INTERNAL_REDIRECTS) {
                    LOG.error(ex.errorLog(), "rewrite or internal redirection cycle while processing \"{}\"", ex.uri);
                    ex.statusOverride = -1;
                    sendPage(ex, 500, null);
                    return;
                }
                findLocation(ex);
                runLocation(ex);
                return;
            }
        }
        runAccess(ex, 0);
    }

    /** Runs the rewrite steps of the current level; what ended them ({@code NEXT} when all ran). */
    private static RewriteHandler.Outcome rewrite(NettyExchange ex) {
        for (RewriteHandler h : ex.location.rewriteHandlers()) {
            RewriteHandler.Outcome o;
            try {
                o = h.rewrite(ex);
            } catch (RuntimeException | LinkageError e) {
                LOG.error(ex.errorLog(), "rewrite handler {} failed for \"{}\"", h, ex.requestUri(), e);
                sendError(ex, 500);
                return RewriteHandler.Outcome.ANSWERED;
            }
            if (ex.responseStarted() || ex.isFinished()) {
                return RewriteHandler.Outcome.ANSWERED;
            }
            if (o != RewriteHandler.Outcome.NEXT) {
                return o;
            }
        }
        return RewriteHandler.Outcome.NEXT;
    }

    private static void runAccess(NettyExchange ex, int from) {
        List<AccessHandler> handlers = ex.location.accessHandlers();
        for (int i = from; i < handlers.size(); i++) {
            if (ex.isSubrequest() && handlers.get(i).phase() != AccessHandler.Phase.PRECONTENT) {
                continue; // as nginx: a subrequest was let in with its parent
            }
            AccessDecision d;
            try {
                d = handlers.get(i).check(ex);
            } catch (Exception | LinkageError e) {
                LOG.error(ex.errorLog(), "access handler {} failed for \"{}\"", handlers.get(i), ex.requestUri(), e);
                sendError(ex, 500);
                return;
            }
            if (d.proceeds()) {
                continue;
            }
            if (d.isHandled()) {
                return;
            }
            if (d.pending() != null) {
                int next = i + 1;
                LocationConfig at = ex.location;
                d.pending().whenComplete((later, err) -> ex.eventLoop().execute(() -> {
                    if (ex.isFinished() || ex.location != at) {
                        return;
                    }
                    if (err != null || later == null) {
                        LOG.error(ex.errorLog(), "access handler failed for \"{}\"", ex.requestUri(), err);
                        sendError(ex, 500);
                    } else if (later.proceeds()) {
                        runAccess(ex, next);
                    } else if (later.isHandled()) {
                        return;
                    } else if (later.pending() != null) {
                        LOG.error(ex.errorLog(),
                                "an access decision completed with another pending decision; answering 500");
                        sendError(ex, 500);
                    } else {
                        refuse(ex, later);
                    }
                }));
                return;
            }
            refuse(ex, d);
            return;
        }
        runContent(ex);
    }

    /** An access check's answer, with its headers (a challenge) when it has some. */
    private static void refuse(NettyExchange ex, AccessDecision d) {
        if (d.headers() == null) {
            sendError(ex, d.status());
            return;
        }
        if (ex.location.errorPages().containsKey(d.status())) {
            ex.refusalHeaders = d.headers(); // as nginx, the challenge goes with the error_page's answer
            sendError(ex, d.status());
            return;
        }
        HttpHeaders h = new DefaultHttpHeaders();
        h.add(d.headers());
        sendPage(ex, d.status(), h);
    }

    private static void runContent(NettyExchange ex) {
        ContentHandler h = ex.location.contentHandler();
        ContentHandler.BodyMode mode = h.bodyMode();
        if (mode != ContentHandler.BodyMode.DISCARD && ex.routes.config().variables().isReferenced("request_body")
                && ex.body.mode() == RequestBodyState.Mode.HOLD) {
            ex.body.keep(ex.location.bodyBufferSize());
        }
        switch (mode) {
            case DISCARD -> {
                ex.body.discard();
                invoke(ex, h);
            }
            case AGGREGATE -> {
                continueIfExpected(ex);
                ex.body.aggregate(() -> invoke(ex, h));
            }
            case STREAM -> {
                continueIfExpected(ex);
                ex.body.stream();
                invoke(ex, h);
            }
            case READ_THEN_STREAM -> {
                continueIfExpected(ex);
                ex.body.buffer(() -> {
                    ex.body.stream();
                    invoke(ex, h);
                });
            }
        }
    }

    static void continueIfExpected(NettyExchange ex) {
        if (!ex.body.isComplete() && HttpUtil.is100ContinueExpected(ex.request)) {
            ex.connection.channel().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private static void invoke(NettyExchange ex, ContentHandler h) {
        try {
            h.handle(ex);
        } catch (Exception | LinkageError e) {
            LOG.error(ex.errorLog(), "content handler {} failed for \"{}\"", h, ex.requestUri(), e);
            if (!ex.responseStarted()) {
                sendError(ex, 500);
            } else {
                ex.abortConnection();
            }
        }
    }

    /**
     * {@code large_client_header_buffers} of the address's default server, as nginx reads headers
     * before it knows the server: a request line longer than one buffer is 414; a header line
     * longer than one buffer, or header lines filling more than all of them, is 400 with nginx's
     * "Request Header Or Cookie Too Large" page (its 494). True when it answered.
     */
    private static boolean headerTooLarge(NettyExchange ex) {
        LocationConfig.HeaderBuffers buffers = ex.location.headerBuffers();
        HttpRequest r = ex.request;
        long line = r.method().name().length() + 1L + r.uri().length() + 1 + r.protocolVersion().text().length();
        if (line > buffers.size()) {
            ex.uri = "/";
            LOG.info(ex.errorLog(), "client sent too long URI while reading client request line");
            sendError(ex, 414);
            return true;
        }
        long total = 0;
        String tooLong = null;
        // the CharSequence view: the String one wraps every header in a new entry
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = r.headers().iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            long length = h.getKey().length() + 2L + h.getValue().length();
            total += length + 2;
            if (length > buffers.size() && tooLong == null) {
                tooLong = h.getKey().toString();
            }
        }
        if (tooLong == null && total <= (long) buffers.number() * buffers.size()) {
            return false;
        }
        ex.uri = "/";
        ex.closeAfterResponse = true;
        LOG.info(ex.errorLog(),
                tooLong != null ? "client sent too long header line: \"" + tooLong + ": ...\" while reading client"
                + " request headers" : "client sent too large request headers ({} bytes) while reading client request"
                + " headers", total);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        ex.respond(400, h, Unpooled.wrappedBuffer(StatusPages.page(400, "Request Header Or Cookie Too Large",
                ex.location.serverTokens())));
        return true;
    }

    static void sendError(NettyExchange ex, int code) {
        if (ex.responseStarted() || ex.isFinished()) {
            return;
        }
        if (code == 444) {
            ex.abortConnection();
            return;
        }
        if (code == 400 || code == 408 || code == 413 || code == 414 || code == 500 || code == 501) {
            ex.closeAfterResponse = true;
        }
        ErrorPage page = ex.statusOverride < 0 && ex.location != null ? ex.location.errorPages().get(code) : null;
        if (page != null) {
            String target = page.target().evaluate(ex);
            if (page.isRedirect()) {
                sendRedirect(ex, page.response() > 0 ? page.response() : 302, target);
                return;
            }
            ex.statusOverride = page.response() < 0 ? code : page.response() == 0 ? 0 : page.response();
            if (!ex.isHead()) {
                ex.method = "GET";
            }
            internalRedirect(ex, target);
            return;
        }
        sendPage(ex, code, null);
    }

    /** A redirect: the Location header and nginx's page for the status. */
    static void sendRedirect(NettyExchange ex, int code, String location) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (!location.isEmpty()) {
            h.set(HttpHeaderNames.LOCATION, location);
        }
        sendPage(ex, code, h);
    }

    /** nginx's page for a status (redirects and errors), as text/html. */
    private static void sendPage(NettyExchange ex, int code, HttpHeaders headers) {
        HttpHeaders h = headers == null ? new DefaultHttpHeaders() : headers;
        byte[] page = StatusPages.page(code, ex.location == null || ex.location.serverTokens());
        if (page.length > 0) {
            h.set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        }
        ex.respond(code, h, Unpooled.wrappedBuffer(page));
    }

    static void internalRedirect(NettyExchange ex, String target) {
        if (ex.responseStarted() || ex.isFinished()) {
            return;
        }
        if (++ex.redirects > MAX_INTERNAL_REDIRECTS) {
            LOG.error(ex.errorLog(), "rewrite or internal redirection cycle while internally redirecting to \"{}\"",
                    target);
            ex.statusOverride = -1;
            sendPage(ex, 500, null);
            return;
        }
        if (target.startsWith("@")) {
            Location named = ex.server.namedLocations().get(target);
            if (named == null) {
                LOG.error(ex.errorLog(), "could not find named location \"{}\"", target);
                ex.statusOverride = -1;
                sendPage(ex, 500, null);
                return;
            }
            ex.captures = null;
            ex.location = named.config();
            runLocation(ex);
            return;
        }
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        if (q >= 0) {
            ex.args = target.substring(q + 1);
        }
        String uri = UriPath.normalize(path);
        if (uri == null) {
            LOG.error(ex.errorLog(), "invalid internal redirect target \"{}\"", target);
            ex.statusOverride = -1;
            sendPage(ex, 500, null);
            return;
        }
        ex.uri = uri;
        findLocation(ex);
        runLocation(ex);
    }
}
