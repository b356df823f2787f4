package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses obsolete header line folding (a header line that starts with a space or a tab) with
 * 400, as nginx does ("client sent invalid header line"); the codec after it would join such a
 * line to the header before, and nothing later could tell. It reads the bytes of each request's
 * header block only: the codec tells it, through {@link HttpConnection}, how the body that follows
 * is framed, and the body passes unread (a chunked one a line at a time, so that its end is seen
 * where the codec sees it).
 */
final class HeaderFoldGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderFoldGuard.class);
    /** A header line no codec accepts (a control character in its name), ending the block. */
    private static final byte[] INVALID_LINE = "\u0001: folded\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Mode { HEADERS, LENGTH, CHUNKED, REFUSED }

    private Mode mode = Mode.HEADERS;
    /** Lines of the current header block seen so far (the request line is the first). */
    private int lines;
    /** Bytes of the current line so far, CR excluded. */
    private int lineLength;
    /** Body bytes still to pass in LENGTH mode. */
    private long bodyLeft;
    /** Set by the codec's side, while a slice passes, when the request's body ended. */
    private boolean bodyEnded;
    /** What the codec said of the body of the request whose headers just passed; null: nothing yet. */
    private Long framing;
    /** Bytes of the current request passed to the codec so far: request line, header, body as sent. */
    private AtomicLong requestBytes = new AtomicLong();

    /**
     * The count of the request the codec is reading ({@code $request_length}): its header is in it
     * while the codec hands on the request, its body as the body passes.
     */
    AtomicLong requestBytes() {
        return requestBytes;
    }

    /** The request whose headers just passed has a body of this many bytes, or -1 for chunked. */
    void bodyFraming(long length) {
        framing = length;
    }

    /** The request's body (chunked) ended. */
    void bodyEnded() {
        bodyEnded = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && ctx.channel().isActive()) {
                switch (mode) {
                    case HEADERS -> headers(ctx, in);
                    case LENGTH -> {
                        int n = (int) Math.min(bodyLeft, in.readableBytes());
                        bodyLeft -= n;
                        requestBytes.addAndGet(n);
                        ctx.fireChannelRead(in.readRetainedSlice(n));
                        if (bodyLeft == 0) {
                            startHeaders();
                        }
                    }
                    case CHUNKED -> {
                        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                        int n = eol < 0 ? in.readableBytes() : eol - in.readerIndex() + 1;
                        bodyEnded = false;
                        requestBytes.addAndGet(n);
                        ctx.fireChannelRead(in.readRetainedSlice(n));
                        if (bodyEnded) {
                            startHeaders();
                        }
                    }
                    case REFUSED -> in.skipBytes(in.readableBytes());
                }
            }
        } finally {
            in.release();
        }
    }

    /** Scans header bytes up to the end of the block or of the buffer, and passes what it scanned. */
    private void headers(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int i = start;
        int end = in.writerIndex();
        boolean blockEnded = false;
        for (; i < end; i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                boolean empty = lineLength == 0;
                lineLength = 0;
                if (empty && lines > 0) {
                    blockEnded = true;
                    i++;
                    break;
                }
                if (!empty) {
                    lines++;
                }
            } else if (b != '\r') {
                if (lineLength == 0 && lines > 0 && (b == ' ' || b == '\t')) {
                    refuse(ctx, in.readRetainedSlice(i - start), b);
                    in.skipBytes(in.readableBytes());
                    return;
                }
                lineLength++;
            }
        }
        framing = null;
        requestBytes.addAndGet(i - start);
        ctx.fireChannelRead(in.readRetainedSlice(i - start));
        if (blockEnded) {
            long length = framing == null ? 0 : framing;
            if (length < 0) {
                mode = Mode.CHUNKED;
            } else if (length > 0) {
                mode = Mode.LENGTH;
                bodyLeft = length;
            } else {
                startHeaders();
            }
        }
    }

    private void startHeaders() {
        mode = Mode.HEADERS;
        requestBytes = new AtomicLong();
        lines = 0;
        lineLength = 0;
    }

    /**
     * Ends the header block, as far as it was read, with a line the codec refuses, so that the
     * request is answered 400 in its turn (after those pipelined before it) and the connection
     * closed; what follows is not read.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf blockSoFar, byte first) {
        mode = Mode.REFUSED;
        LOG.info("client sent invalid header line: \"\\x{}...\" while reading client request headers",
                String.format("%02X", first));
        ctx.fireChannelRead(blockSoFar);
        ctx.fireChannelRead(Unpooled.wrappedBuffer(INVALID_LINE));
    }
}
