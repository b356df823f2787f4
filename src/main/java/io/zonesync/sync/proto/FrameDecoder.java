package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the inbound byte stream of one link into frames and frames into {@link Message}s
 * (doc/protocol.md sections 2 and 3). One instance per channel.
 *
 * <p>The first frame must be a HELLO: its magic, type and version are checked on the first eleven
 * bytes, before its length is trusted. Every length prefix is checked against the limit as soon as
 * it arrives, before any of the frame is buffered; every length inside a frame is checked against
 * the bytes left. On any violation the decoder discards what it holds, sends an ABORT frame (best
 * effort), closes the channel and then throws a {@link ProtocolException} naming the field, the
 * value and the limit; the exception reaches the next handlers through exceptionCaught, and every
 * byte that arrives afterwards is dropped.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameSize;
    private final int helloLimit;
    private boolean helloReceived;
    private boolean failed;

    /** @param maxFrameSize the largest frame accepted, length prefix included (zone_sync_recv_buffer_size) */
    public FrameDecoder(int maxFrameSize) {
        if (maxFrameSize < Protocol.MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maximum frame size " + maxFrameSize + " is below the minimum "
                    + Protocol.MIN_FRAME_SIZE);
        }
        this.maxFrameSize = maxFrameSize;
        this.helloLimit = Math.max(maxFrameSize, Protocol.HELLO_MIN_LIMIT);
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Whether the peer's HELLO has been decoded. */
    public boolean helloReceived() {
        return helloReceived;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Message m = decodeOne(in);
            if (m != null) {
                out.add(m);
            }
        } catch (ProtocolException e) {
            fail(ctx, in, e);
        } catch (RuntimeException e) {
            fail(ctx, in, new ProtocolException(AbortCode.INTERNAL, "decoder failure: " + e, e));
        }
    }

    private Message decodeOne(ByteBuf in) {
        int at = in.readerIndex();
        int readable = in.readableBytes();
        if (!helloReceived) {
            if (readable < Protocol.HELLO_PREFIX_BYTES) {
                return null;
            }
            checkHelloPrefix(in, at);
        }
        if (readable < Protocol.LENGTH_FIELD_BYTES) {
            return null;
        }
        long length = in.getUnsignedInt(at);
        if (length < 1) {
            throw new ProtocolException(AbortCode.MALFORMED, "frame length 0 is below the minimum 1");
        }
        long limit = helloReceived ? maxFrameSize : helloLimit;
        if (length + Protocol.LENGTH_FIELD_BYTES > limit) {
            throw new ProtocolException(AbortCode.FRAME_TOO_LARGE, "frame of " + (length + Protocol.LENGTH_FIELD_BYTES)
                    + " bytes exceeds the maximum frame size " + limit);
        }
        if (readable < Protocol.LENGTH_FIELD_BYTES + 1) {
            return null;
        }
        int code = in.getUnsignedByte(at + Protocol.LENGTH_FIELD_BYTES);
        MessageType type = MessageType.fromCode(code);
        if (type == null) {
            throw new ProtocolException(AbortCode.UNKNOWN_TYPE, "frame type " + code + " is unknown (known types are 1.."
                    + MessageType.values().length + ")");
        }
        if (helloReceived && type == MessageType.HELLO) {
            throw new ProtocolException(AbortCode.UNEXPECTED_MESSAGE, "a second HELLO arrived after the handshake");
        }
        if (readable < Protocol.LENGTH_FIELD_BYTES + length) {
            return null;
        }
        int frame = (int) length + Protocol.LENGTH_FIELD_BYTES;
        Message m = MessageReader.read(type, in.slice(at + Protocol.LENGTH_FIELD_BYTES + 1, (int) length - 1));
        in.skipBytes(frame);
        if (type == MessageType.HELLO) {
            helloReceived = true;
        }
        return m;
    }

    private static void checkHelloPrefix(ByteBuf in, int at) {
        long magic = in.getUnsignedInt(at + Protocol.LENGTH_FIELD_BYTES + 1);
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException(AbortCode.BAD_MAGIC, MessageReader.badMagic(magic));
        }
        int code = in.getUnsignedByte(at + Protocol.LENGTH_FIELD_BYTES);
        if (code != MessageType.HELLO.code()) {
            MessageType type = MessageType.fromCode(code);
            throw new ProtocolException(AbortCode.UNEXPECTED_MESSAGE, "the first frame has type " + code
                    + (type == null ? "" : " (" + type + ")") + ", expected " + MessageType.HELLO.code() + " (HELLO)");
        }
        int version = in.getUnsignedShort(at + Protocol.LENGTH_FIELD_BYTES + 1 + 4);
        if (version != Protocol.VERSION) {
            throw new ProtocolException(AbortCode.UNSUPPORTED_VERSION, MessageReader.unsupportedVersion(version));
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, ProtocolException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(FrameWriter.encode(ctx.alloc(), Abort.of(e.code(), e.getMessage())));
        }
        ctx.close();
        throw e;
    }
}
