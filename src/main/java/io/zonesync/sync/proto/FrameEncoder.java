package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link Message}s as frames, each into a buffer of exactly its size. ByteBufs written to
 * the channel pass through untouched, so frames packed with {@link RecordBatchWriter} can share the
 * pipeline. It does not know the peer's maximum frame size: the sender sizes its batches.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Message> {
    public FrameEncoder() {
        super(Message.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
        FrameWriter.write(msg, out);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Message msg, boolean preferDirect) {
        int size = FrameWriter.encodedSize(msg);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }
}
