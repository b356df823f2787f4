package io.zonesync.stream.proxy;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import java.util.function.IntSupplier;

/**
 * Reads into buffers of {@code proxy_buffer_size} bytes, one read per wake-up so the other side's
 * writability is checked between reads, and never more than {@code cap} allows (what a rate leaves
 * for now), so a rate is kept to the byte as nginx keeps it.
 */
final class CappedAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    private final int size;
    private final IntSupplier cap;

    CappedAllocator(int size, IntSupplier cap) {
        super(1);
        this.size = size;
        this.cap = cap;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public int guess() {
                return Math.max(1, Math.min(size, cap.getAsInt()));
            }
        };
    }
}
