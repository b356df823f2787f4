package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.net.ProxyHeader;
import io.zonesync.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol reader on its own: v1 and v2 headers, whole or in pieces, the bytes after them
 * passed on untouched, and anything else closing the connection with nginx's message.
 */
class ProxyProtocolReaderTest {
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new ProxyProtocolReader("127.0.0.1:80"));
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String readText(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readInbound()) != null;) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void aV1HeaderInPiecesGivesItsAddressesAndPassesTheRestOn() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(text("PROX"));
        ch.writeInbound(text("Y TCP4 192.0.2.1 198.51.100.1 1111 80"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(text("\r\nGET / HTTP/1.1\r\n"));
        assertThat(ch.attr(ProxyHeader.CHANNEL_KEY).get())
                .isEqualTo(new ProxyHeader("192.0.2.1", 1111, "198.51.100.1", 80));
        ch.writeInbound(text("Host: x\r\n\r\n"));
        assertThat(readText(ch)).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ch.pipeline().get(ProxyProtocolReader.class)).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aV2HeaderGivesItsAddressesAsNginxWritesThem() {
        EmbeddedChannel ch = channel();
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(SIGNATURE).writeByte(0x21).writeByte(0x21).writeShort(36);
        b.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        b.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.writeShort(4321).writeShort(443);
        b.writeBytes("\u0016\u0003\u0001".getBytes(StandardCharsets.ISO_8859_1)); // a TLS record starts
        ch.writeInbound(b);
        assertThat(ch.attr(ProxyHeader.CHANNEL_KEY).get())
                .isEqualTo(new ProxyHeader("2001:db8::1", 4321, "2001:db8::2", 443));
        assertThat(readText(ch)).isEqualTo("\u0016\u0003\u0001");
    }

    @Test
    void headersWithoutAddressesGiveNone() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(text("PROXY UNKNOWN\r\nGET"));
        assertThat(ch.attr(ProxyHeader.CHANNEL_KEY).get()).isNull();
        assertThat(readText(ch)).isEqualTo("GET");
        EmbeddedChannel local = channel();
        local.writeInbound(Unpooled.buffer().writeBytes(SIGNATURE).writeByte(0x20).writeByte(0).writeShort(0)
                .writeBytes(text("GET")));
        assertThat(local.attr(ProxyHeader.CHANNEL_KEY).get()).isNull();
        assertThat(readText(local)).isEqualTo("GET");
    }

    @Test
    void anythingElseClosesTheConnectionWithNginxsMessage() {
        try (LogCapture logs = new LogCapture()) {
            EmbeddedChannel plain = channel();
            plain.writeInbound(text("GET / HTTP/1.1\r\n"));
            assertThat(plain.isOpen()).isFalse();
            assertThat(readText(plain)).isEmpty();
            assertThat(logs.contains("broken header: \"GET / HTTP/1.1\r\n\" while reading PROXY protocol")).isTrue();

            EmbeddedChannel shortLine = channel();
            shortLine.writeInbound(text("PROXY TCP4 192.0.2.1\r\nGET / HTTP/1.1\r\n"));
            assertThat(shortLine.isOpen()).isFalse();
            assertThat(readText(shortLine)).isEmpty();

            EmbeddedChannel tooLong = channel();
            tooLong.writeInbound(text("PROXY TCP4 192.0.2.1 198.51.100.1 1111 80 " + "x".repeat(120)));
            assertThat(tooLong.isOpen()).isFalse();

            EmbeddedChannel badV2 = channel();
            badV2.writeInbound(Unpooled.buffer().writeBytes(SIGNATURE).writeByte(0x31).writeByte(0x11).writeShort(0));
            assertThat(badV2.isOpen()).isFalse();
            assertThat(logs.count("while reading PROXY protocol")).isEqualTo(4);
        }
    }
}
