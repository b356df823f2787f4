package io.zonesync.http.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.zonesync.http.core.BodyEncoder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A body gzipped as it goes out: the gzip header, deflate at the configured level, CRC and length.
 * The body's buffers go to zlib and its output into pooled buffers without copies through the
 * heap, and the Deflater comes from the thread's {@link DeflaterPool}, since making one (zlib's
 * state) costs more than compressing a small response.
 */
final class GzipEncoder implements BodyEncoder {
    /** Magic, deflate, no flags, no time, no extra flags, Unix: the header nginx writes. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    /** The first output buffer of a piece; it grows while zlib has more to give. */
    private static final int OUT_START = 1024;

    private final int level;
    private final CRC32 crc = new CRC32();
    private Deflater deflater;
    private boolean headerSent;

    GzipEncoder(int level) {
        this.level = level;
        this.deflater = DeflaterPool.take(level);
    }

    @Override
    public ByteBuf encode(ByteBuf in) {
        try {
            crc.update(in.nioBuffer());
            deflater.setInput(in.nioBuffer());
            return drain(in.readableBytes());
        } finally {
            in.release();
        }
    }

    @Override
    public ByteBuf finish() {
        deflater.finish();
        ByteBuf last = drain(0);
        last.writeIntLE((int) crc.getValue());
        last.writeIntLE((int) deflater.getBytesRead());
        return last;
    }

    /** What zlib gives until it needs more input (or, after finish, until the end). */
    private ByteBuf drain(int inputBytes) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(Math.max(OUT_START, inputBytes / 2 + 32));
        if (!headerSent) {
            buf.writeBytes(HEADER);
            headerSent = true;
        }
        while (true) {
            buf.ensureWritable(256);
            int room = buf.writableBytes();
            int n = deflater.deflate(buf.nioBuffer(buf.writerIndex(), room), Deflater.NO_FLUSH);
            buf.writerIndex(buf.writerIndex() + n);
            // zlib stops when the output is full or the input used up; only the second ends a piece
            if (deflater.finished() || n < room && deflater.needsInput()) {
                return buf;
            }
        }
    }

    @Override
    public void close() {
        if (deflater != null) {
            DeflaterPool.give(level, deflater);
            deflater = null;
        }
    }
}
