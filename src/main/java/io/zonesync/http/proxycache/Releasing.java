package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.zonesync.http.core.ResponseStream;
import java.util.function.LongConsumer;

/**
 * A response stream that runs a task once the body has ended or been aborted (releases a cache
 * lock), given how many bytes of body went through.
 */
final class Releasing implements ResponseStream {
    private final ResponseStream out;
    private final LongConsumer after;
    private long bodyBytes;

    Releasing(ResponseStream out, LongConsumer after) {
        this.out = out;
        this.after = after;
    }

    @Override
    public Future<Void> write(ByteBuf data) {
        bodyBytes += data.readableBytes();
        return out.write(data);
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
        after.accept(bodyBytes);
    }

    @Override
    public void abort() {
        out.abort();
        after.accept(bodyBytes);
    }
}
