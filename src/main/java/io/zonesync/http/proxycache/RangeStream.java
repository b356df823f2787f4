package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.zonesync.http.core.ResponseStream;

/**
 * The client's stream of a 206 answered while the whole response goes to the cache: of the body
 * passing through, only the bytes of the one range asked for go on.
 */
final class RangeStream implements ResponseStream {
    private final ResponseStream out;
    private final long start;
    private final long end;
    private long position;

    RangeStream(ResponseStream out, ByteRanges.Span span) {
        this.out = out;
        this.start = span.start();
        this.end = span.end();
    }

    @Override
    public Future<Void> write(ByteBuf data) {
        long from = position;
        long to = position + data.readableBytes();
        position = to;
        long a = Math.max(from, start);
        long b = Math.min(to, end);
        if (a >= b) {
            data.release();
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        ByteBuf part = data.retainedSlice(data.readerIndex() + (int) (a - from), (int) (b - a));
        data.release();
        return out.write(part);
    }

    @Override
    public boolean isWritable() {
        return out.isWritable();
    }

    @Override
    public void whenWritable(Runnable task) {
        out.whenWritable(task);
    }

    @Override
    public void end(HttpHeaders trailers) {
        out.end(trailers);
    }

    @Override
    public void abort() {
        out.abort();
    }
}
