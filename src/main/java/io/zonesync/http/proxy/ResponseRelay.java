package io.zonesync.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.zonesync.http.core.ResponseStream;
import java.util.function.BooleanSupplier;

/**
 * The response body on its way from an upstream connection to the client: pieces go straight
 * through, and reading from the upstream stops while the client connection cannot take more, so
 * a slow client holds back the upstream instead of filling memory.
 */
final class ResponseRelay {
    private final ResponseStream out;

    ResponseRelay(ResponseStream out) {
        this.out = out;
    }

    /**
     * Passes {@code data} on (taking ownership). {@code clientGone} runs if the write fails;
     * {@code current} tells, later, whether {@code upstream} still serves this response.
     */
    void pass(ByteBuf data, Channel upstream, BooleanSupplier current, Runnable clientGone) {
        out.write(data).addListener(f -> {
            if (!f.isSuccess()) {
                clientGone.run();
            }
        });
        if (!out.isWritable()) {
            upstream.config().setAutoRead(false);
            out.whenWritable(() -> {
                if (current.getAsBoolean()) {
                    upstream.config().setAutoRead(true);
                }
            });
        }
    }

    void end() {
        out.end();
    }

    /** The body cannot be completed: the client connection is closed. */
    void abort() {
        out.abort();
    }
}
