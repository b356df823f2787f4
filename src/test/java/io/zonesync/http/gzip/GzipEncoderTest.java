package io.zonesync.http.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipEncoderTest {

    private static byte[] gzip(int level, byte[]... pieces) {
        GzipEncoder e = new GzipEncoder(level);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            append(out, e.encode(Unpooled.directBuffer(p.length).writeBytes(p)));
        }
        append(out, e.finish());
        e.close();
        return out.toByteArray();
    }

    private static void append(ByteArrayOutputStream out, ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        out.writeBytes(bytes);
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    @Test
    void bodiesOfAnySizeComeBackWhole() throws IOException {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random); // incompressible: the output outgrows every first buffer
        byte[] text = "hello from the backend\n".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        assertThat(gunzip(gzip(1, random))).isEqualTo(random);
        assertThat(gunzip(gzip(6, text, new byte[0], text))).hasSize(2 * text.length);
        assertThat(gunzip(gzip(9))).isEmpty();
    }

    @Test
    void deflatersAreReusedPerThreadAndLevelUpToTheCap() {
        Deflater a = DeflaterPool.take(5);
        DeflaterPool.give(5, a);
        assertThat(DeflaterPool.take(5)).isSameAs(a);
        assertThat(DeflaterPool.take(4)).isNotSameAs(a);
        Deflater[] many = new Deflater[DeflaterPool.KEPT + 2];
        for (int i = 0; i < many.length; i++) {
            many[i] = DeflaterPool.take(3);
        }
        for (Deflater d : many) {
            DeflaterPool.give(3, d);
        }
        int reused = 0;
        for (int i = 0; i < many.length; i++) {
            Deflater d = DeflaterPool.take(3);
            for (Deflater m : many) {
                reused += d == m ? 1 : 0;
            }
        }
        assertThat(reused).isEqualTo(DeflaterPool.KEPT);
    }

    @Test
    void anEncoderClosedEarlyLeavesAFreshDeflaterBehind() throws IOException {
        GzipEncoder early = new GzipEncoder(2);
        early.encode(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})).release();
        early.close();
        byte[] body = "after".getBytes(StandardCharsets.US_ASCII);
        assertThat(gunzip(gzip(2, body))).isEqualTo(body);
    }
}
