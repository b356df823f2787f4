package io.zonesync.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body on its way upstream: pieces not yet written to the current connection, and,
 * while the body stays under {@link #REPLAY_LIMIT}, copies of those already written, so that the
 * request can still be passed to the next server. Past the limit the body is streamed and
 * forgotten, and a request whose body has started to go upstream is not retried (nginx's rule
 * for unbuffered bodies). Confined to the request's event loop.
 */
final class BodyBuffer {
    /** The body kept for a retry, at most. */
    static final int REPLAY_LIMIT = 64 * 1024;

    private final List<ByteBuf> pieces = new ArrayList<>();
    private int written;
    private long keptBytes;
    private long unsentBytes;
    private boolean replayable = true;
    private boolean anyWritten;
    private long total;

    void add(ByteBuf piece) {
        pieces.add(piece);
        keptBytes += piece.readableBytes();
        unsentBytes += piece.readableBytes();
        total += piece.readableBytes();
        if (keptBytes > REPLAY_LIMIT) {
            replayable = false;
        }
    }

    /** Bytes received but not yet written upstream. */
    long unsentBytes() {
        return unsentBytes;
    }

    /** Body bytes received so far. */
    long total() {
        return total;
    }

    /** Whether a retry can send the whole body again (or none of it has gone upstream). */
    boolean canResend() {
        return replayable || !anyWritten;
    }

    /** Writes the unsent pieces to {@code ch} (not flushed); returns the bytes written. */
    long writeTo(Channel ch) {
        long n = 0;
        for (int i = written; i < pieces.size(); i++) {
            ByteBuf b = pieces.get(i);
            n += b.readableBytes();
            ch.write(new DefaultHttpContent(replayable ? b.retainedDuplicate() : b));
        }
        anyWritten |= n > 0;
        unsentBytes = 0;
        if (replayable) {
            written = pieces.size();
        } else {
            for (int i = 0; i < written; i++) {
                pieces.get(i).release();
            }
            pieces.clear();
            written = 0;
            keptBytes = 0;
        }
        return n;
    }

    /** For a retry: everything kept is unsent again. */
    void rewind() {
        written = 0;
        unsentBytes = keptBytes;
    }

    void release() {
        for (ByteBuf b : pieces) {
            b.release();
        }
        pieces.clear();
        written = 0;
        keptBytes = 0;
        unsentBytes = 0;
    }
}
