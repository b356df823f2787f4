package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A stream's frames as the HTTP/1.x objects the request path reads, and responses back as frames. */
class Http2StreamFramesTest {
    private final AtomicLong bytes = new AtomicLong();
    private final EmbeddedChannel ch = new EmbeddedChannel(new Http2StreamFrames(4, bytes), new Http2StreamBody());

    private static Http2Headers request(String method) {
        return new DefaultHttp2Headers().method(method).path("/a?b=1").scheme("https").authority("example.test:8443")
                .add("cookie", "a=1").add("x-one", "1").add("cookie", "b=2");
    }

    @Test
    void aRequestWithoutBodyIsAWholeHttp2Request() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(request("GET"), true));
        FullHttpRequest r = ch.readInbound();
        assertThat(r.protocolVersion().text()).isEqualTo("HTTP/2.0");
        assertThat(r.method().name()).isEqualTo("GET");
        assertThat(r.uri()).isEqualTo("/a?b=1");
        assertThat(r.headers().get("host")).isEqualTo("example.test:8443");
        assertThat(r.headers().get("cookie")).isEqualTo("a=1; b=2");
        assertThat(r.headers().names()).doesNotContain(":path", ":method", ":scheme", ":authority", "transfer-encoding");
        assertThat(bytes.get()).isPositive();
        r.release();
    }

    @Test
    void aBodyOfUnknownLengthIsFramedAsChunkedAndEndsWithTheStream() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(request("POST"), false));
        HttpRequest r = ch.readInbound();
        assertThat(r).isNotInstanceOf(FullHttpRequest.class);
        assertThat(r.headers().get("transfer-encoding")).isEqualTo("chunked");
        long head = bytes.get();
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), false));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("de", StandardCharsets.US_ASCII), true));
        HttpContent first = ch.readInbound();
        HttpContent last = ch.readInbound();
        assertThat(first).isNotInstanceOf(LastHttpContent.class);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(first.content().toString(StandardCharsets.US_ASCII) + last.content().toString(StandardCharsets.US_ASCII))
                .isEqualTo("abcde");
        assertThat(bytes.get() - head).isEqualTo(5);
        first.release();
        last.release();
    }

    @Test
    void aResponseLosesItsConnectionHeadersAndItsBodyGoesInChunks() {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Connection", "close").set("Keep-Alive", "timeout=5").set("Transfer-Encoding", "chunked")
                .set("X-Kept", "yes");
        ch.write(head);
        ch.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.US_ASCII)));
        Http2HeadersFrame h = ch.readOutbound();
        assertThat(h.isEndStream()).isFalse();
        assertThat(h.headers().status().toString()).isEqualTo("200");
        assertThat(h.headers().get("x-kept").toString()).isEqualTo("yes");
        assertThat(h.headers().contains("connection")).isFalse();
        assertThat(h.headers().contains("keep-alive")).isFalse();
        assertThat(h.headers().contains("transfer-encoding")).isFalse();
        StringBuilder body = new StringBuilder();
        Http2DataFrame d;
        boolean ended = false;
        while ((d = ch.readOutbound()) != null) {
            assertThat(d.content().readableBytes()).isLessThanOrEqualTo(4);
            body.append(d.content().toString(StandardCharsets.US_ASCII));
            ended = d.isEndStream();
            d.release();
        }
        assertThat(body).hasToString("0123456789");
        assertThat(ended).isTrue();
    }

    @Test
    void aResponseWithoutBodyEndsTheStreamOnItsHeaders() {
        ch.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        Http2HeadersFrame h = ch.readOutbound();
        assertThat(h.isEndStream()).isTrue();
        Object more = ch.readOutbound();
        assertThat(more).isNull();
    }
}
