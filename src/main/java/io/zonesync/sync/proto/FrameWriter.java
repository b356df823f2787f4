package io.zonesync.sync.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes messages as frames (doc/protocol.md sections 2 to 4). For packing many records into
 * frames up to a budget, use {@link RecordBatchWriter} directly.
 */
public final class FrameWriter {
    private FrameWriter() {
    }

    /** Encodes one message into a new buffer of exactly its size. */
    public static ByteBuf encode(ByteBufAllocator alloc, Message m) {
        ByteBuf out = alloc.buffer(encodedSize(m));
        try {
            write(m, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Appends one message, as a whole frame, at the writer index of {@code out}. */
    public static void write(Message m, ByteBuf out) {
        int size = encodedSize(m);
        int start = out.writerIndex();
        out.ensureWritable(size);
        out.writeInt(size - Protocol.LENGTH_FIELD_BYTES);
        out.writeByte(m.type().code());
        if (m instanceof Hello h) {
            writeHello(h, out);
        } else if (m instanceof RecordBatch b) {
            out.writerIndex(start);
            RecordBatchWriter w = RecordBatchWriter.begin(out, b.zone(), size);
            for (SyncRecord r : b.records()) {
                if (!w.tryAdd(r)) {
                    throw new IllegalStateException("record " + r + " did not fit its computed frame size " + size);
                }
            }
            w.finish();
        } else if (m instanceof SnapshotBegin s) {
            writeZone(out, s.zone());
        } else if (m instanceof SnapshotEnd s) {
            writeZone(out, s.zone());
            out.writeLong(s.records());
        } else if (m instanceof Goodbye g) {
            out.writeByte(g.reason().code());
        } else if (m instanceof Abort a) {
            byte[] text = Utf8.encode(a.text(), "abort text", 0, Protocol.MAX_ABORT_TEXT_BYTES);
            out.writeShort(a.code());
            out.writeShort(text.length);
            out.writeBytes(text);
        } else if (m instanceof Digest d) {
            writeZone(out, d.zone());
            out.writeLong(d.cutoff());
            out.writeByte(d.bucketBits());
            out.writeInt(d.first());
            out.writeShort(d.hashes().length);
            for (long h : d.hashes()) {
                out.writeLong(h);
            }
        } else if (m instanceof Ping p) {
            out.writeLong(p.token());
        } else if (m instanceof Pong p) {
            out.writeLong(p.token());
        } else if (m instanceof Mark k) {
            writeZone(out, k.zone());
            out.writeLong(k.epoch());
            out.writeLong(k.hlc());
        } else if (m instanceof Resume k) {
            writeZone(out, k.zone());
            out.writeLong(k.epoch());
            out.writeLong(k.since());
        } else if (!(m instanceof Heartbeat)) {
            throw new IllegalArgumentException("no encoding for " + m.getClass().getName());
        }
        if (out.writerIndex() - start != size) {
            throw new IllegalStateException(m.type() + " wrote " + (out.writerIndex() - start)
                    + " bytes but its size is " + size);
        }
    }

    /** The size of a message's frame, length prefix included. */
    public static int encodedSize(Message m) {
        long body;
        if (m instanceof Hello h) {
            body = 4 + 2 + 2 + 8 + 8 + 4 + 4 + 1 + Utf8.length(h.advertised(), "advertised address", 0,
                    Protocol.MAX_ADVERTISED_BYTES) + 2;
            for (ZoneSignature z : h.catalog()) {
                body += zoneSize(z);
            }
            long size = Protocol.LENGTH_FIELD_BYTES + 1 + body;
            if (size > Protocol.HELLO_MIN_LIMIT) {
                throw new IllegalArgumentException("HELLO of " + size + " bytes (catalog of " + h.catalog().size()
                        + " zones) exceeds the limit " + Protocol.HELLO_MIN_LIMIT);
            }
        } else if (m instanceof RecordBatch b) {
            body = zoneSize(b.zone()) + 2L;
            for (SyncRecord r : b.records()) {
                body += r.encodedSize();
            }
        } else if (m instanceof SnapshotBegin s) {
            body = zoneSize(s.zone());
        } else if (m instanceof SnapshotEnd s) {
            body = zoneSize(s.zone()) + 8L;
        } else if (m instanceof Goodbye) {
            body = 1;
        } else if (m instanceof Abort a) {
            body = 4 + Utf8.length(a.text(), "abort text", 0, Protocol.MAX_ABORT_TEXT_BYTES);
        } else if (m instanceof Digest d) {
            body = zoneSize(d.zone()) + Digest.FIXED_BYTES + 8L * d.hashes().length;
        } else if (m instanceof Ping || m instanceof Pong) {
            body = 8;
        } else if (m instanceof Mark k) {
            body = zoneSize(k.zone()) + 16L;
        } else if (m instanceof Resume k) {
            body = zoneSize(k.zone()) + 16L;
        } else {
            body = 0;
        }
        long size = Protocol.LENGTH_FIELD_BYTES + 1 + body;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(m.type() + " frame of " + size + " bytes exceeds the limit "
                    + Integer.MAX_VALUE);
        }
        return (int) size;
    }

    static int zoneSize(ZoneSignature z) {
        return 1 + Utf8.length(z.name(), "zone name", 1, Protocol.MAX_ZONE_NAME_BYTES) + 1 + 2;
    }

    static void writeZone(ByteBuf out, ZoneSignature z) {
        writeZone(out, z, Utf8.encode(z.name(), "zone name", 1, Protocol.MAX_ZONE_NAME_BYTES));
    }

    static void writeZone(ByteBuf out, ZoneSignature z, byte[] name) {
        out.writeByte(name.length);
        out.writeBytes(name);
        out.writeByte(z.typeTag());
        out.writeShort(z.codecVersion());
    }

    private static void writeHello(Hello h, ByteBuf out) {
        byte[] advertised = Utf8.encode(h.advertised(), "advertised address", 0, Protocol.MAX_ADVERTISED_BYTES);
        out.writeInt(Protocol.MAGIC);
        out.writeShort(h.version());
        out.writeShort(h.flags());
        out.writeLong(h.nodeId());
        out.writeLong(h.wallClockMillis());
        out.writeInt((int) h.maxFrameSize());
        out.writeInt((int) h.timeoutMillis());
        out.writeByte(advertised.length);
        out.writeBytes(advertised);
        out.writeShort(h.catalog().size());
        for (ZoneSignature z : h.catalog()) {
            writeZone(out, z);
        }
    }
}
