package io.zonesync.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.zonesync.http.core.BodyEncoder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A body gzipped as it goes out: the gzip header, deflate at the configured level, CRC and length. */
final class GzipEncoder implements BodyEncoder {
    /** Magic, deflate, no flags, no time, no extra flags, Unix: the header nginx writes. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[16 * 1024];
    private boolean headerSent;
    private boolean closed;

    GzipEncoder(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public ByteBuf encode(ByteBuf in) {
        try {
            byte[] bytes = new byte[in.readableBytes()];
            in.readBytes(bytes);
            crc.update(bytes);
            deflater.setInput(bytes);
            return drain(Deflater.NO_FLUSH);
        } finally {
            in.release();
        }
    }

    @Override
    public ByteBuf finish() {
        deflater.finish();
        ByteBuf last = drain(Deflater.NO_FLUSH);
        long size = deflater.getBytesRead();
        long sum = crc.getValue();
        last.writeIntLE((int) sum);
        last.writeIntLE((int) size);
        return last;
    }

    private ByteBuf drain(int flush) {
        ByteBuf buf = Unpooled.buffer();
        if (!headerSent) {
            buf.writeBytes(HEADER);
            headerSent = true;
        }
        while (true) {
            int n = deflater.deflate(out, 0, out.length, flush);
            if (n > 0) {
                buf.writeBytes(out, 0, n);
            }
            if (n < out.length && (deflater.needsInput() || deflater.finished())) {
                return buf;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deflater.end();
        }
    }
}
