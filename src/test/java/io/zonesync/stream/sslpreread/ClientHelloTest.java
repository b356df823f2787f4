package io.zonesync.stream.sslpreread;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Reading a ClientHello: whole, in pieces, split across records, and what is not one. */
class ClientHelloTest {
    private static byte[] hello(String name, String... alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(name, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(name)));
        params.setApplicationProtocols(alpn);
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static ClientHello.Result parse(byte[] b) {
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        return ClientHello.parse(buf);
    }

    @Test
    void readsTheNameTheProtocolsAndTheVersion() throws Exception {
        assertThat(parse(hello("a.example", "h2", "http/1.1")))
                .isEqualTo(new ClientHello.Parsed(new ClientHello("a.example", "h2,http/1.1", "TLSv1.3")));
        assertThat(parse(hello("b.example"))).isEqualTo(new ClientHello.Parsed(new ClientHello("b.example", "",
                "TLSv1.3")));
    }

    @Test
    void waitsForTheRestOfAHello() throws Exception {
        byte[] h = hello("a.example");
        assertThat(parse(Arrays.copyOf(h, 3))).isInstanceOf(ClientHello.NeedMore.class);
        assertThat(parse(Arrays.copyOf(h, h.length - 1))).isInstanceOf(ClientHello.NeedMore.class);
    }

    @Test
    void readsAHelloSplitIntoTwoRecords() throws Exception {
        byte[] h = hello("split.example");
        int payload = h.length - 5;
        int first = payload / 2;
        byte[] two = new byte[h.length + 5];
        System.arraycopy(h, 0, two, 0, 5 + first);
        two[3] = (byte) (first >> 8);
        two[4] = (byte) first;
        int at = 5 + first;
        two[at] = h[0];
        two[at + 1] = h[1];
        two[at + 2] = h[2];
        two[at + 3] = (byte) ((payload - first) >> 8);
        two[at + 4] = (byte) (payload - first);
        System.arraycopy(h, 5 + first, two, at + 5, payload - first);
        assertThat(parse(two)).isEqualTo(new ClientHello.Parsed(new ClientHello("split.example", "", "TLSv1.3")));
    }

    @Test
    void whatIsNotAHello() {
        assertThat(parse("GET / HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ClientHello.NotTls.class);
        assertThat(parse(new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0})).isInstanceOf(ClientHello.NotTls.class);
    }
}
