package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;

/**
 * Reads the fields of one frame body, checking every read against the bytes left so that no
 * length a peer sends is trusted; each failure names the field, the value and the limit.
 */
final class FrameReader {
    private final MessageType type;
    private final ByteBuf in;

    FrameReader(MessageType type, ByteBuf body) {
        this.type = type;
        this.in = body;
    }

    /** The body itself, for hot loops that check lengths on their own. */
    ByteBuf buffer() {
        return in;
    }

    int left() {
        return in.readableBytes();
    }

    void need(long bytes, String field) {
        if (bytes > in.readableBytes()) {
            throw malformed(field + " needs " + bytes + " bytes but the " + type + " frame has "
                    + in.readableBytes() + " left");
        }
    }

    int u8(String field) {
        need(1, field);
        return in.readUnsignedByte();
    }

    int u16(String field) {
        need(2, field);
        return in.readUnsignedShort();
    }

    long u32(String field) {
        need(4, field);
        return in.readUnsignedInt();
    }

    long u64(String field) {
        need(8, field);
        return in.readLong();
    }

    byte[] bytes(int length, String field) {
        need(length, field);
        byte[] b = new byte[length];
        in.readBytes(b);
        return b;
    }

    String string(int length, String field) {
        need(length, field);
        return Utf8.decode(in, length, field);
    }

    ZoneSignature zone() {
        int nameLength = u8("zone name length");
        if (nameLength < 1) {
            throw malformed("zone name length 0 is below the minimum 1");
        }
        String name = string(nameLength, "zone name");
        int tag = u8("type tag of zone \"" + name + "\"");
        int version = u16("codec version of zone \"" + name + "\"");
        return new ZoneSignature(name, tag, version);
    }

    /** The body must be used up exactly. */
    void end() {
        if (in.isReadable()) {
            throw malformed(type + " frame has " + in.readableBytes() + " trailing bytes (expected 0)");
        }
    }

    ProtocolException malformed(String message) {
        return new ProtocolException(AbortCode.MALFORMED, message);
    }
}
