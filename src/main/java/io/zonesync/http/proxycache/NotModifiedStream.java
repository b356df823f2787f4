package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.ResponseStream;

/**
 * Where a response being cached goes when the client is answered 304: the body is dropped here
 * (the cache writer keeps it) and the 304 is sent when the body ends, that is once the entry is
 * stored, so that the client's next request finds it.
 */
final class NotModifiedStream implements ResponseStream {
    private final HttpExchange ex;
    private final HttpHeaders headers;
    private boolean answered;

    NotModifiedStream(HttpExchange ex, HttpHeaders headers) {
        this.ex = ex;
        this.headers = headers;
    }

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
        answer();
    }

    /** The upstream's body broke off: the client's 304 does not depend on it. */
    @Override
    public void abort() {
        answer();
    }

    private void answer() {
        if (!answered) {
            answered = true;
            ex.startResponse(304, headers).end();
        }
    }
}
