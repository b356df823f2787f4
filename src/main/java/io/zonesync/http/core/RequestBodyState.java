package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The request body of one exchange, on the event loop: held while the access phase decides, then
 * aggregated, streamed to a {@link BodyReceiver}, or discarded, as the content handler asks.
 * Enforces {@code client_max_body_size} whatever the mode.
 */
final class RequestBodyState implements RequestBody {
    /** Above this many held bytes, reading from the client pauses until the content phase starts. */
    private static final int HOLD_LIMIT = 64 * 1024;

    enum Mode { HOLD, AGGREGATE, STREAM, DISCARD }

    /** Why a streamed body failed because it was too large. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("request body is larger than client_max_body_size " + limit);
        }
    }

    interface Events {
        /** Reading pauses (true) or resumes (false). */
        void pauseReading(boolean paused);

        /** The body passed the limit. */
        void tooLarge();

        /** The last piece arrived (in any mode). */
        void completed();

        /** For a body that comes from no socket (a subrequest's). */
        Events NONE = new Events() {
            @Override
            public void pauseReading(boolean paused) {
            }

            @Override
            public void tooLarge() {
            }

            @Override
            public void completed() {
            }
        };
    }

    private final ByteBufAllocator alloc;
    private final Events events;
    private final long declaredLength;
    private final boolean chunked;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private Mode mode = Mode.HOLD;
    private long limit;
    private long received;
    private long heldBytes;
    private boolean complete;
    private boolean failed;
    private CompositeByteBuf aggregate;
    private Runnable whenAggregated;
    private BodyReceiver receiver;
    private boolean paused;
    /** Whether the whole body is being read before the content phase ({@link #buffer}). */
    private boolean buffering;
    private Runnable whenBuffered;
    /** A copy of the body for {@code $request_body} ({@link #keep}); null when none is kept or it grew too large. */
    private ByteArrayOutputStream kept;
    private int keepLimit;

    /** {@code chunked}: whether the body comes in chunks, its length known only once it is whole. */
    RequestBodyState(ByteBufAllocator alloc, Events events, long declaredLength, boolean chunked) {
        this.alloc = alloc;
        this.events = events;
        this.declaredLength = declaredLength;
        this.chunked = chunked;
    }

    void limit(long maxBytes) {
        this.limit = maxBytes;
    }

    Mode mode() {
        return mode;
    }

    boolean isComplete() {
        return complete;
    }

    void onContent(HttpContent content) {
        ByteBuf data = content.content();
        int n = data.readableBytes();
        received += n;
        boolean last = content instanceof LastHttpContent;
        if (limit > 0 && received > limit && !failed) {
            failed = true;
            content.release();
            tooLarge();
            if (last) {
                complete = true;
                events.completed();
            }
            return;
        }
        if (failed || mode == Mode.DISCARD || n == 0) {
            content.release();
        } else {
            if (kept != null) {
                keepCopy(data);
            }
            switch (mode) {
                case HOLD -> {
                    held.add(data);
                    heldBytes += n;
                    if (heldBytes > HOLD_LIMIT && !buffering) {
                        setPaused(true);
                    }
                }
                case AGGREGATE -> aggregate.addComponent(true, data);
                case STREAM -> {
                    if (receiver != null) {
                        receiver.onData(data);
                    } else {
                        held.add(data);
                    }
                }
                default -> content.release();
            }
        }
        if (last) {
            complete = true;
            if (mode == Mode.HOLD && !failed && whenBuffered != null) {
                Runnable r = whenBuffered;
                whenBuffered = null;
                r.run();
            }
            if (mode == Mode.AGGREGATE && !failed && whenAggregated != null) {
                Runnable r = whenAggregated;
                whenAggregated = null;
                r.run();
            } else if (mode == Mode.STREAM && receiver != null && !failed) {
                receiver.onEnd();
            }
            events.completed();
        }
    }

    private void tooLarge() {
        releaseHeld();
        if (mode == Mode.STREAM && receiver != null) {
            receiver.onError(new TooLargeException(limit));
        }
        mode = Mode.DISCARD;
        setPaused(false);
        events.tooLarge();
    }

    /**
     * Keeps a copy of the body for {@code $request_body} while it is at most {@code limit} bytes
     * ({@code client_body_buffer_size}); call it before the body's mode is chosen. A larger body
     * keeps nothing, as nginx writes such a body to a file and leaves the variable empty.
     */
    void keep(int limit) {
        keepLimit = limit;
        kept = new ByteArrayOutputStream(Math.min(limit, 1024));
        for (ByteBuf b : held) {
            keepCopy(b);
        }
    }

    private void keepCopy(ByteBuf data) {
        int n = data.readableBytes();
        if (kept.size() + n > keepLimit) {
            kept = null;
            return;
        }
        try {
            data.getBytes(data.readerIndex(), kept, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** {@code $request_body}: the kept body once it has arrived whole, else null. */
    String keptBody() {
        return complete && !failed && kept != null ? kept.toString(StandardCharsets.UTF_8) : null;
    }

    /** Reads the whole body, then runs {@code then} (at once if it is already in). */
    void aggregate(Runnable then) {
        if (mode != Mode.HOLD) {
            if (aggregate == null) {
                aggregate = alloc.compositeBuffer(0);
            }
            then.run();
            return;
        }
        mode = Mode.AGGREGATE;
        aggregate = alloc.compositeBuffer(Math.max(16, held.size()));
        ByteBuf b;
        while ((b = held.poll()) != null) {
            aggregate.addComponent(true, b);
        }
        heldBytes = 0;
        setPaused(false);
        if (complete && !failed) {
            then.run();
        } else if (!failed) {
            whenAggregated = then;
        }
    }

    /**
     * Reads the whole body while it is still held (before the content phase), then runs
     * {@code then} (at once if it is in). The body stays held for the content handler, whatever
     * mode it asks; memory is bounded by {@code client_max_body_size}. Nothing runs if the body
     * fails (too large: the exchange answers 413).
     */
    void buffer(Runnable then) {
        if (mode != Mode.HOLD) {
            throw new IllegalStateException("the request body is no longer held (mode " + mode + ")");
        }
        buffering = true;
        setPaused(false);
        if (complete && !failed) {
            then.run();
        } else if (!failed) {
            whenBuffered = then;
        }
    }

    /** The held body as one buffer sharing its memory, which the caller releases. */
    ByteBuf heldCopy() {
        CompositeByteBuf copy = alloc.compositeBuffer(Math.max(16, held.size()));
        for (ByteBuf b : held) {
            copy.addComponent(true, b.retainedDuplicate());
        }
        return copy;
    }

    void stream() {
        if (mode == Mode.HOLD) {
            mode = Mode.STREAM;
        }
    }

    void discard() {
        if (mode == Mode.HOLD || mode == Mode.STREAM && receiver == null) {
            mode = Mode.DISCARD;
            releaseHeld();
            setPaused(false);
        }
    }

    ByteBuf aggregated() {
        return aggregate == null ? Unpooled.EMPTY_BUFFER : aggregate;
    }

    @Override
    public void subscribe(BodyReceiver r) {
        if (receiver != null) {
            throw new IllegalStateException("the request body already has a receiver");
        }
        if (mode != Mode.STREAM) {
            throw new IllegalStateException("the request body is not streamed (mode " + mode + ")");
        }
        receiver = r;
        ByteBuf b;
        while ((b = held.poll()) != null) {
            r.onData(b);
        }
        heldBytes = 0;
        setPaused(false);
        if (failed) {
            r.onError(new TooLargeException(limit));
        } else if (complete) {
            r.onEnd();
        }
    }

    /** The client went away or timed out before the body completed. */
    void abort(Throwable cause) {
        if (!complete && mode == Mode.STREAM && receiver != null && !failed) {
            failed = true;
            receiver.onError(cause);
        }
        release();
    }

    @Override
    public void pause() {
        setPaused(true);
    }

    @Override
    public void resume() {
        setPaused(false);
    }

    private void setPaused(boolean p) {
        if (paused != p) {
            paused = p;
            events.pauseReading(p);
        }
    }

    @Override
    public long declaredLength() {
        return chunked && buffering && complete && !failed ? received : declaredLength;
    }

    private void releaseHeld() {
        ByteBuf b;
        while ((b = held.poll()) != null) {
            b.release();
        }
        heldBytes = 0;
    }

    void release() {
        mode = Mode.DISCARD;
        releaseHeld();
        if (aggregate != null && aggregate.refCnt() > 0) {
            aggregate.release();
        }
        aggregate = null;
        setPaused(false);
    }
}
