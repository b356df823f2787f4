package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.zonesync.http.core.ResponseStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a cached body file to a started response: the whole file, or the pieces of a range answer
 * (file regions between literal part headers). Every read of the file runs on {@link CacheIo}, a
 * block at a time, and the next block is read only once the client's connection takes more, so
 * the event loop never waits for the disk and a large body is never held whole.
 */
final class CachedBody {
    private static final Logger LOG = LoggerFactory.getLogger(CachedBody.class);
    static final int BLOCK = 64 * 1024;

    /** One piece of the body: literal bytes, or {@code length} bytes of the file from {@code offset}. */
    record Piece(byte[] literal, long offset, long length) {
        static Piece of(String text) {
            return new Piece(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, 0);
        }

        static Piece file(long offset, long length) {
            return new Piece(null, offset, length);
        }

        long size() {
            return literal != null ? literal.length : length;
        }
    }

    private final EventLoop loop;
    private final ResponseStream out;
    private final FileChannel file;
    private final String name;
    private final List<Piece> pieces;
    private int index;
    private long sent;
    private volatile boolean failed;
    /** Where the file's next sequential read starts (touched on the pool, one read at a time). */
    private long position;

    private CachedBody(EventLoop loop, ResponseStream out, FileChannel file, String name, List<Piece> pieces) {
        this.loop = loop;
        this.out = out;
        this.file = file;
        this.name = name;
        this.pieces = pieces;
    }

    /** Sends {@code pieces} of the open {@code file} to {@code out}, then ends it and closes the file. */
    static void send(EventLoop loop, ResponseStream out, FileChannel file, String name, List<Piece> pieces) {
        new CachedBody(loop, out, file, name, pieces).next();
    }

    /** On the event loop: passes literal pieces, or asks the pool for the next block of the file. */
    private void next() {
        while (!failed) {
            if (index == pieces.size()) {
                close();
                out.end();
                return;
            }
            if (!out.isWritable()) {
                out.whenWritable(this::next);
                return;
            }
            Piece p = pieces.get(index);
            if (p.literal() != null) {
                write(Unpooled.wrappedBuffer(p.literal()));
                index++;
                continue;
            }
            if (sent == p.length()) {
                index++;
                sent = 0;
                continue;
            }
            int n = (int) Math.min(BLOCK, p.length() - sent);
            long at = p.offset() + sent;
            CacheIo.supply(() -> read(at, n)).whenComplete((block, e) -> loop.execute(() -> {
                if (failed) {
                    if (block != null) {
                        block.release();
                    }
                    return;
                }
                if (e != null || block == null) {
                    LOG.error("read() \"{}\" failed ({})", name, e == null ? "file shorter than its metadata"
                            : e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                    close();
                    out.abort();
                    return;
                }
                sent += block.readableBytes();
                write(block);
                next();
            }));
            return;
        }
    }

    /**
     * On the pool: {@code n} bytes from {@code at}, or null at the file's end. Reads go on from where
     * the last one stopped, the file repositioned only for a range elsewhere.
     */
    private ByteBuf read(long at, int n) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(n);
        try {
            if (at != position) {
                file.position(at);
                position = at;
            }
            int got = 0;
            while (got < n) {
                int r = buf.writeBytes(file, n - got);
                if (r < 0) {
                    buf.release();
                    return null;
                }
                got += r;
                position += r;
            }
            return buf;
        } catch (IOException e) {
            buf.release();
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void write(ByteBuf data) {
        out.write(data).addListener(f -> {
            if (!f.isSuccess() && !failed) {
                failed = true; // the client went away: stop reading
                close();
            }
        });
    }

    private void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing was written to it
        }
    }
}
