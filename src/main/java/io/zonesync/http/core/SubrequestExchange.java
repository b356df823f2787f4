package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A subrequest's exchange: it runs a location's phases like a request from the client (rewrite,
 * precontent, content; not preaccess and access, which its parent passed) but its response goes
 * nowhere: the status and headers complete {@link #result()} and any body is dropped as it comes,
 * so memory stays bounded whatever the size of the response. As in nginx, it sees its parent's
 * {@code $request_uri}, {@code $request_method}, request headers, connection, client address and
 * {@code set} variables; it has its own {@code $uri}, {@code $args} and method (the one its handler
 * uses), is internal (so it may enter {@code internal} locations), is not logged, and starts with
 * its parent's count of internal redirects plus one.
 */
final class SubrequestExchange extends NettyExchange {
    private final NettyExchange parent;
    private final CompletableFuture<SubrequestResult> result = new CompletableFuture<>();
    private int answered;
    private HttpHeaders answeredHeaders;
    private boolean done;

    SubrequestExchange(NettyExchange parent, Subrequest spec) {
        super(parent, new DefaultHttpRequest(parent.request.protocolVersion(), HttpMethod.valueOf(spec.method()),
                spec.uri(), headers(parent)), bodyLength(parent, spec.body()));
        this.parent = parent;
        body.onContent(spec.body() == null ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(spec.body()));
    }

    /**
     * The parent's request headers, less Transfer-Encoding: a subrequest's body, if it has one, is
     * whole and of known length, as nginx's is once read.
     */
    private static HttpHeaders headers(NettyExchange parent) {
        HttpHeaders h = parent.request.headers();
        return h.contains(HttpHeaderNames.TRANSFER_ENCODING) ? h.copy().remove(HttpHeaderNames.TRANSFER_ENCODING) : h;
    }

    /** The length of the body: none when there is none, or it is empty and the parent announced no body. */
    private static long bodyLength(NettyExchange parent, ByteBuf body) {
        boolean parentFramed = parent.declaredLength >= 0
                || parent.request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
        return body == null || !body.isReadable() && !parentFramed ? -1 : body.readableBytes();
    }

    /** Looks up the location of {@code target} and runs its phases. */
    void start(String target) {
        RequestPhases.internalRedirect(this, target);
    }

    CompletionStage<SubrequestResult> result() {
        return result;
    }

    @Override
    public boolean isSubrequest() {
        return true;
    }

    @Override
    boolean isInternal() {
        return true;
    }

    @Override
    public String requestUri() {
        return parent.requestUri();
    }

    @Override
    public String mainMethod() {
        return parent.mainMethod();
    }

    @Override
    public String targetHost() {
        return parent.targetHost();
    }

    @Override
    public String requestId() {
        return parent.requestId();
    }

    @Override
    public int status() {
        return answered;
    }

    @Override
    public String responseHeader(String name) {
        return answeredHeaders == null ? null : answeredHeaders.get(name);
    }

    @Override
    public boolean responseStarted() {
        return answered != 0;
    }

    @Override
    boolean isFinished() {
        return done;
    }

    @Override
    public void respond(int code, HttpHeaders headers, ByteBuf content) {
        if (content != null) {
            content.release();
        }
        if (eventLoop().inEventLoop()) {
            answer(code, headers);
        } else {
            eventLoop().execute(() -> answer(code, headers));
        }
    }

    @Override
    public void respondFile(int code, HttpHeaders headers, Path file, long length) {
        respond(code, headers, null);
    }

    @Override
    public ResponseStream startResponse(int code, HttpHeaders headers) {
        respond(code, headers, null);
        return new Dropped();
    }

    @Override
    void abortConnection() {
        answer(444, null); // the subrequest cannot be completed; its parent's connection is not closed
    }

    /** Records the one answer and completes the result; the exchange is done with it. */
    private void answer(int code, HttpHeaders headers) {
        if (answered != 0) {
            return;
        }
        answered = effectiveStatus(code);
        answeredHeaders = headers == null ? EmptyHttpHeaders.INSTANCE : headers;
        done = true;
        body.release();
        result.complete(new SubrequestResult(answered, answeredHeaders, this));
    }

    /** A subrequest's response body: every piece is dropped as it comes. */
    private final class Dropped implements ResponseStream {
        @Override
        public Future<Void> write(ByteBuf data) {
            data.release();
            return channel().newSucceededFuture();
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable task) {
            eventLoop().execute(task);
        }

        @Override
        public void end(HttpHeaders trailers) {
        }

        @Override
        public void abort() {
        }
    }

    /** A subrequest's answer never reaches the client: nothing to pace. */
    @Override
    public void limitRate(long bytesPerSecond, long after) {
    }
}
