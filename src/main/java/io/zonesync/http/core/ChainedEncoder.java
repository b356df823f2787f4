package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Two body encoders one after the other, as nginx's body filters run in a chain: what {@code first}
 * makes of each piece goes through {@code second} ({@code sub_filter} then {@code gzip}).
 */
record ChainedEncoder(BodyEncoder first, BodyEncoder second) implements BodyEncoder {

    @Override
    public ByteBuf encode(ByteBuf in) {
        return second.encode(first.encode(in));
    }

    @Override
    public ByteBuf finish() {
        ByteBuf tail = second.encode(first.finish());
        ByteBuf end = second.finish();
        return Unpooled.wrappedBuffer(tail, end);
    }

    @Override
    public void close() {
        first.close();
        second.close();
    }
}
