package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.zonesync.http.core.ResponseStream;

/** Where an upstream's body goes when a stale cache entry answered instead: nowhere. */
enum DiscardStream implements ResponseStream {
    INSTANCE;

    @Override
    public Future<Void> write(ByteBuf data) {
        data.release();
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void whenWritable(Runnable task) {
        task.run();
    }

    @Override
    public void end(HttpHeaders trailers) {
    }

    @Override
    public void abort() {
    }
}
