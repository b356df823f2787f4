package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The head of one HTTP/2 stream's pipeline. Inbound, the stream's frames become the messages an
 * HTTP/1.x connection reads: a request of version {@code HTTP/2.0} (its Host from
 * {@code :authority}, its cookie fields joined with "; ", as nginx), its body, its end. Outbound,
 * a response head becomes a HEADERS frame without the connection-specific fields HTTP/2 forbids,
 * body bytes become DATA frames of at most {@code http2_chunk_size}, and the end of the response
 * ends the stream (on the HEADERS frame itself when no body went out). The end of the channel is
 * passed on a turn later, so that the handler of the stream learns its response went out before it
 * learns the stream closed.
 */
final class Http2StreamFrames extends ChannelDuplexHandler {
    /** The version of requests that came over HTTP/2: what {@code $server_protocol} and {@code $request} show. */
    static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, true);
    private static final Set<AsciiString> CONNECTION_SPECIFIC = Set.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE);

    private final int chunkSize;
    private final AtomicLong requestBytes;
    private boolean requestSeen;
    /** Whether the request's end arrived, and whether the response's end was written. */
    private boolean requestEnded;
    private boolean responseEnded;
    private Http2Headers pendingHead;
    private ChannelPromise pendingPromise;

    /**
     * @param chunkSize the largest DATA frame written
     * @param requestBytes where the size of the request (its header fields as text, and its body) is counted
     */
    Http2StreamFrames(int chunkSize, AtomicLong requestBytes) {
        this.chunkSize = chunkSize;
        this.requestBytes = requestBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame f) {
            requestEnded |= f.isEndStream();
            if (!requestSeen) {
                requestSeen = true;
                ctx.fireChannelRead(request(f.headers(), f.isEndStream()));
            } else if (f.isEndStream()) {
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT); // trailer fields: not used, as nginx
            }
        } else if (msg instanceof Http2DataFrame f) {
            requestEnded |= f.isEndStream();
            ByteBuf content = f.content();
            requestBytes.addAndGet(content.readableBytes());
            ctx.fireChannelRead(f.isEndStream() ? new DefaultLastHttpContent(content) : new DefaultHttpContent(content));
            return; // the content went on with the frame's reference
        } else if (msg instanceof Http2ResetFrame) {
            ctx.close();
        }
        ReferenceCountUtil.release(msg);
    }

    private Object request(Http2Headers in, boolean ended) {
        CharSequence method = in.method() == null ? "GET" : in.method();
        String path = in.path() == null ? "" : in.path().toString();
        HttpHeaders h = new DefaultHttpHeaders();
        long size = method.length() + 1L + path.length() + 1 + HTTP_2.text().length() + 2;
        StringBuilder cookie = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iterator(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            CharSequence value = e.getValue();
            if (AsciiString.contentEquals(name, Http2Headers.PseudoHeaderName.AUTHORITY.value())) {
                name = HttpHeaderNames.HOST;
            } else if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
                cookie = cookie == null ? new StringBuilder(value) : cookie.append("; ").append(value);
                continue;
            }
            h.add(name, value);
            size += name.length() + 2L + value.length() + 2;
        }
        if (cookie != null) {
            h.add(HttpHeaderNames.COOKIE, cookie.toString());
            size += HttpHeaderNames.COOKIE.length() + 2L + cookie.length() + 2;
        }
        requestBytes.addAndGet(size + 2);
        HttpMethod m = HttpMethod.valueOf(method.toString());
        if (ended) {
            return new DefaultFullHttpRequest(HTTP_2, m, path, Unpooled.EMPTY_BUFFER, h, EmptyHttpHeaders.INSTANCE);
        }
        if (!h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // a body of unknown length, ended by the stream's end: framed for the rest of the server as chunked
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new DefaultHttpRequest(HTTP_2, m, path, h);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            Http2Headers head = head(r);
            if (r.status().code() < 200) {
                ReferenceCountUtil.release(msg);
                ctx.write(new DefaultHttp2HeadersFrame(head, false), promise);
                return;
            }
            pendingHead = head;
            pendingPromise = promise;
            if (msg instanceof LastHttpContent whole) {
                writeEnd(ctx, whole, ctx.newPromise());
            }
        } else if (msg instanceof ByteBuf b) {
            writeData(ctx, b, promise);
        } else if (msg instanceof LastHttpContent last) {
            writeEnd(ctx, last, promise);
        } else {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedMessageTypeException(msg, HttpResponse.class, ByteBuf.class,
                    LastHttpContent.class));
        }
    }

    private static Http2Headers head(HttpResponse r) {
        Http2Headers out = new DefaultHttp2Headers(false);
        out.status(r.status().codeAsText());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = r.headers().iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            AsciiString name = AsciiString.of(e.getKey()).toLowerCase();
            if (!CONNECTION_SPECIFIC.contains(name)) {
                out.add(name, e.getValue());
            }
        }
        return out;
    }

    private void writeHead(ChannelHandlerContext ctx, boolean endStream) {
        if (pendingHead != null) {
            ctx.write(new DefaultHttp2HeadersFrame(pendingHead, endStream), pendingPromise);
            pendingHead = null;
            pendingPromise = null;
        }
    }

    private void writeData(ChannelHandlerContext ctx, ByteBuf b, ChannelPromise promise) {
        writeHead(ctx, false);
        if (!b.isReadable()) {
            b.release();
            promise.setSuccess();
            return;
        }
        while (b.readableBytes() > chunkSize) {
            ctx.write(new DefaultHttp2DataFrame(b.readRetainedSlice(chunkSize), false));
        }
        ctx.write(new DefaultHttp2DataFrame(b, false), promise);
    }

    private void writeEnd(ChannelHandlerContext ctx, LastHttpContent last, ChannelPromise promise) {
        responseEnded = true;
        HttpHeaders trailers = last.trailingHeaders();
        if (last.content().isReadable()) {
            writeData(ctx, last.content().retain(), ctx.newPromise());
        }
        last.release();
        if (pendingHead != null && trailers.isEmpty()) {
            ChannelPromise headWritten = pendingPromise;
            pendingPromise = promise;
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    headWritten.trySuccess();
                } else {
                    headWritten.tryFailure(f.cause());
                }
            });
            writeHead(ctx, true);
            return;
        }
        writeHead(ctx, false);
        if (trailers.isEmpty()) {
            ctx.write(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true), promise);
            return;
        }
        Http2Headers t = new DefaultHttp2Headers(false);
        for (Map.Entry<String, String> e : trailers) {
            t.add(AsciiString.of(e.getKey()).toLowerCase(), e.getValue());
        }
        ctx.write(new DefaultHttp2HeadersFrame(t, true), promise);
    }

    /**
     * A stream closed after its whole response while the client still sends the request body is
     * reset with NO_ERROR: the client is told to stop sending, and that the response stands.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (responseEnded && !requestEnded && ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        }
        ctx.close(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeHead(ctx, false);
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pendingPromise != null) {
            pendingPromise.tryFailure(new java.io.IOException("stream closed"));
            pendingHead = null;
            pendingPromise = null;
        }
        ctx.executor().execute(ctx::fireChannelInactive);
    }
}
