package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.zonesync.http.core.ResponseStream;

/** A response stream that runs a task once the body has ended or been aborted (releases a cache lock). */
final class Releasing implements ResponseStream {
    private final ResponseStream out;
    private final Runnable after;

    Releasing(ResponseStream out, Runnable after) {
        this.out = out;
        this.after = after;
    }

    @Override
    public Future<Void> write(ByteBuf data) {
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
        after.run();
    }

    @Override
    public void abort() {
        out.abort();
        after.run();
    }
}
