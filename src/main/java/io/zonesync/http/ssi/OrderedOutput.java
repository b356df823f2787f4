package io.zonesync.http.ssi;

import io.netty.buffer.ByteBuf;
import io.zonesync.http.core.BodyOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of an SSI page in document order while its includes run side by side: text and the
 * body of the first unfinished include go out at once; what comes after that include (text, and
 * later includes' bodies) waits in memory until it is done, as nginx's postponed output does. The
 * output ends once the page has ended and every include has. Event loop only.
 */
final class OrderedOutput {
    private final BodyOutput out;
    /** Told whenever an include is done and what waited behind it went. */
    private final Runnable drained;
    /** The bytes waiting. */
    private long heldBytes;
    /** Waiting behind the first unfinished include (the head, which streams): ByteBufs and Includes. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean ending;
    private boolean closed;

    OrderedOutput(BodyOutput out, Runnable drained) {
        this.out = out;
        this.drained = drained;
    }

    /** How many bytes wait behind an unfinished include. */
    long heldBytes() {
        return heldBytes;
    }

    /** Text of the page (ownership passes). */
    void text(ByteBuf piece) {
        if (closed) {
            piece.release();
        } else if (queue.isEmpty()) {
            out.write(piece);
        } else {
            heldBytes += piece.readableBytes();
            queue.add(piece);
        }
    }

    /** A place for an include's body, at the current end of the output. */
    Include include() {
        Include inc = new Include();
        inc.live = queue.isEmpty();
        queue.add(inc);
        return inc;
    }

    /** The page has ended: the output ends when the includes before its end have. */
    void end() {
        ending = true;
        if (queue.isEmpty() && !closed) {
            closed = true;
            out.end();
        }
    }

    /** The output cannot be completed (a subrequest failed mid-way). */
    void abort() {
        if (!closed) {
            release();
            out.abort();
        }
    }

    /** Whether the output was ended, aborted or released. */
    boolean isClosed() {
        return closed;
    }

    /** The response ended early: drop what waits. */
    void release() {
        closed = true;
        for (Object o : queue) {
            if (o instanceof ByteBuf b) {
                b.release();
            } else {
                ((Include) o).release();
            }
        }
        queue.clear();
        heldBytes = 0;
    }

    /** The head include is done: what waited behind it goes, up to the next unfinished include. */
    private void advance() {
        queue.poll();
        while (!queue.isEmpty()) {
            Object o = queue.peek();
            if (o instanceof ByteBuf b) {
                queue.poll();
                heldBytes -= b.readableBytes();
                out.write(b);
                continue;
            }
            Include inc = (Include) o;
            inc.flush();
            if (!inc.finished) {
                inc.live = true;
                drained.run();
                return;
            }
            queue.poll();
        }
        if (ending && !closed) {
            closed = true;
            out.end();
        }
        drained.run();
    }

    /**
     * An include's body: written through while it is at the head, held until then. It is finished
     * once {@link #finish} says so (the caller's decision, when the body has ended and the status is known).
     */
    final class Include {
        private final List<ByteBuf> held = new ArrayList<>();
        private boolean live;
        private boolean finished;

        void write(ByteBuf piece) {
            if (closed || finished) {
                piece.release();
            } else if (live) {
                out.write(piece);
            } else {
                heldBytes += piece.readableBytes();
                held.add(piece);
            }
        }

        void finish() {
            if (finished || closed) {
                return;
            }
            finished = true;
            if (live) {
                advance();
            }
        }

        private void flush() {
            for (ByteBuf b : held) {
                heldBytes -= b.readableBytes();
                out.write(b);
            }
            held.clear();
        }

        private void release() {
            held.forEach(ByteBuf::release);
            held.clear();
        }
    }
}
