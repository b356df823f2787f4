package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A subrequest's exchange: it runs a location's phases like a request from the client (rewrite,
 * precontent, content; not preaccess and access, which its parent passed) but its response does
 * not reach the client: the status and headers complete {@link #result()}, and the body is dropped
 * as it comes or, when the caller gave a {@link BodyOutput}, passed to it as it comes, through the
 * location's header filters, body encoders and filter ({@code ssi} includes), so memory stays
 * bounded whatever the size of the response. As in nginx, it sees its parent's
 * {@code $request_uri}, {@code $request_method}, request headers, connection, client address and
 * {@code set} variables; it has its own {@code $uri}, {@code $args} and method (the one its handler
 * uses), is internal (so it may enter {@code internal} locations), is not logged, and starts with
 * its parent's count of internal redirects plus one.
 */
final class SubrequestExchange extends NettyExchange {
    private final NettyExchange parent;
    private final CompletableFuture<SubrequestResult> result = new CompletableFuture<>();
    /** Where the body goes, null to drop it. */
    private final BodyOutput sink;
    private boolean sinkDone;
    /** The file being passed to the sink, as the client takes it; null otherwise. */
    private FileChannel openFile;
    private long fileLeft;
    private int answered;
    private HttpHeaders answeredHeaders;
    private boolean done;

    SubrequestExchange(NettyExchange parent, Subrequest spec, BodyOutput sink) {
        super(parent, new DefaultHttpRequest(parent.request.protocolVersion(), HttpMethod.valueOf(spec.method()),
                spec.uri(), headers(parent)), bodyLength(parent, spec.body()));
        this.parent = parent;
        this.sink = sink;
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
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> respond(code, headers, content));
            return;
        }
        if (!answer(code, headers) || sink == null) {
            if (content != null) {
                content.release();
            }
            return;
        }
        if (content != null) {
            pass(content);
        }
        passEnd();
    }

    @Override
    public void respondFile(int code, HttpHeaders headers, Path file, long length) {
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> respondFile(code, headers, file, length));
            return;
        }
        if (!answer(code, headers) || sink == null) {
            return;
        }
        try {
            openFile = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            closeBodyChain();
            endSink(false);
            return;
        }
        fileLeft = length;
        main().whenLost(this::closeFile);
        passFile(ByteBuffer.allocate(64 * 1024));
    }

    /**
     * Passes the file a block at a time, the next read only while the client's connection takes
     * more and the location's filter does not hold output back, so a large file is never held whole.
     */
    private void passFile(ByteBuffer block) {
        try {
            while (openFile != null) {
                if (sinkDone) {
                    closeFile();
                    return;
                }
                if (!channel().isWritable()) {
                    connection.whenWritable(() -> passFile(block));
                    return;
                }
                if (filter != null && filter.holdsBack()) {
                    filter.whenFlowing(() -> eventLoop().execute(() -> passFile(block)));
                    return;
                }
                block.clear();
                if (fileLeft <= 0 || openFile.read(block) < 0) {
                    closeFile();
                    passEnd();
                    return;
                }
                block.flip();
                if (block.remaining() > fileLeft) {
                    block.limit((int) fileLeft);
                }
                fileLeft -= block.remaining();
                pass(Unpooled.copiedBuffer(block));
            }
        } catch (IOException e) {
            closeFile();
            closeBodyChain();
            endSink(false);
        }
    }

    private void closeFile() {
        if (openFile != null) {
            try {
                openFile.close();
            } catch (IOException ignored) {
                // nothing more is read from it
            }
            openFile = null;
        }
    }

    @Override
    NettyExchange main() {
        return parent.main();
    }

    @Override
    public ResponseStream startResponse(int code, HttpHeaders headers) {
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> answer(code, headers));
        } else {
            answer(code, headers);
        }
        return sink == null ? new Dropped() : new Passed();
    }

    @Override
    void abortConnection() {
        // the subrequest cannot be completed; its parent's connection is closed only if part of its body went
        boolean started = answered != 0;
        answer(444, null);
        if (sink != null) {
            closeBodyChain();
            endSink(!started);
        }
    }

    /**
     * A piece of the body through the location's encoders and filter to the sink; the filter's
     * output reaches {@link #deliver}.
     */
    private void pass(ByteBuf piece) {
        if (sinkDone) {
            piece.release();
        } else if (filter != null) {
            filterPiece(piece);
        } else {
            deliver(encoded(piece));
        }
    }

    private void passEnd() {
        if (sinkDone) {
            return;
        }
        if (filter != null) {
            filterEnd();
        } else {
            deliverEnd(encodedEnd());
        }
    }

    @Override
    void deliver(ByteBuf piece) {
        if (sinkDone) {
            piece.release();
        } else {
            sink.write(piece);
        }
    }

    @Override
    void deliverEnd(ByteBuf last) {
        deliver(last);
        endSink(true);
    }

    @Override
    void deliverAbort() {
        endSink(false);
    }

    private void endSink(boolean complete) {
        if (sinkDone) {
            return;
        }
        sinkDone = true;
        if (complete) {
            sink.end();
        } else {
            sink.abort();
        }
    }

    /**
     * Records the one answer and completes the result; the exchange is done with it. With a sink,
     * the location's header filters see (a copy of) the headers, so that they choose the body's
     * encoders and filter as for a response to the client. False if it was answered already.
     */
    private boolean answer(int code, HttpHeaders headers) {
        if (answered != 0) {
            return false;
        }
        answered = effectiveStatus(code);
        answeredHeaders = headers == null ? EmptyHttpHeaders.INSTANCE : headers;
        done = true;
        body.release();
        if (sink != null && location != null) {
            HttpHeaders seen = answeredHeaders.isEmpty() ? new DefaultHttpHeaders() : answeredHeaders.copy();
            for (HeaderFilter f : location.headerFilters()) {
                f.filter(answered, seen, this);
            }
        }
        result.complete(new SubrequestResult(answered, answeredHeaders, this));
        if (sink != null && bodyless(answered)) {
            closeBodyChain();
            endSink(true);
        }
        return true;
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

    /**
     * A subrequest's response body, passed to the sink as it comes; it is as writable as the
     * client's connection, where the body ends up.
     */
    private final class Passed implements ResponseStream {
        @Override
        public Future<Void> write(ByteBuf data) {
            if (!eventLoop().inEventLoop()) {
                eventLoop().execute(() -> write(data));
                return channel().newSucceededFuture();
            }
            pass(data);
            return channel().newSucceededFuture();
        }

        @Override
        public boolean isWritable() {
            return channel().isWritable() && (filter == null || !filter.holdsBack());
        }

        @Override
        public void whenWritable(Runnable task) {
            if (filter != null && filter.holdsBack()) {
                filter.whenFlowing(() -> eventLoop().execute(() -> whenWritable(task)));
            } else {
                connection.whenWritable(task);
            }
        }

        @Override
        public void end(HttpHeaders trailers) {
            if (!eventLoop().inEventLoop()) {
                eventLoop().execute(() -> end(trailers));
                return;
            }
            passEnd();
        }

        @Override
        public void abort() {
            if (!eventLoop().inEventLoop()) {
                eventLoop().execute(this::abort);
                return;
            }
            closeBodyChain();
            endSink(false);
        }
    }

    /** A subrequest's answer never reaches the client: nothing to pace. */
    @Override
    public void limitRate(long bytesPerSecond, long after) {
    }
}
