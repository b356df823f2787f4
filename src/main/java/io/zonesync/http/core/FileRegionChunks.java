package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;

/**
 * On an HTTP/2 stream, where a file cannot go to the socket whole: a {@link FileRegion} written is
 * read out in pieces of {@code piece} bytes by the {@code ChunkedWriteHandler} below, as fast as
 * the stream's flow-control window lets them go.
 */
final class FileRegionChunks extends ChannelOutboundHandlerAdapter {
    private final int piece;

    FileRegionChunks(int piece) {
        this.piece = piece;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof FileRegion r ? new Pieces(r, piece) : msg, promise);
    }

    /** A region's bytes, a piece at a time. */
    private static final class Pieces implements ChunkedInput<ByteBuf> {
        private final FileRegion region;
        private final int piece;

        Pieces(FileRegion region, int piece) {
            this.region = region;
            this.piece = piece;
        }

        @Override
        public boolean isEndOfInput() {
            return region.transferred() >= region.count();
        }

        @Override
        public void close() {
            region.release();
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) throws IOException {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(piece, region.count() - region.transferred());
            ByteBuf buf = alloc.buffer(n);
            try {
                long before = region.transferred();
                region.transferTo(new SendRateLimiter.Into(buf, n), before);
                if (region.transferred() == before) {
                    throw new IOException("the file ended early");
                }
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
            return buf;
        }

        @Override
        public long length() {
            return region.count();
        }

        @Override
        public long progress() {
            return region.transferred();
        }
    }
}
