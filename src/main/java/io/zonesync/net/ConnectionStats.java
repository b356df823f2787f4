package io.zonesync.net;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's connection and request counters, counted where nginx counts the figures its
 * {@code stub_status} shows: connections accepted from clients and peers (http and zone_sync
 * listeners alike; not those the node dials), those handled (not refused at
 * {@code worker_connections}), those open now, and of the http ones, how many are reading a
 * request header and how many have a request in progress. Safe from any thread.
 */
public final class ConnectionStats {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder handled = new LongAdder();
    private final AtomicLong active = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final AtomicLong reading = new AtomicLong();
    private final AtomicLong writing = new AtomicLong();
    private final HandshakeCounters handshakes = new HandshakeCounters();

    /** The TLS handshakes of every listener of the node (http, stream and zone_sync's): NGINX Plus's {@code /ssl}. */
    public HandshakeCounters handshakes() {
        return handshakes;
    }

    /** An accepted connection the node keeps: open until its channel closes. */
    public void accepted(Channel ch) {
        accepted.increment();
        handled.increment();
        active.incrementAndGet();
        ch.closeFuture().addListener(f -> active.decrementAndGet());
    }

    /** An accepted connection closed at once, over worker_connections. */
    public void dropped() {
        accepted.increment();
    }

    /** The first bytes of a request header arrived: it is reading until {@link #headerRead}. */
    public void readingHeader() {
        reading.incrementAndGet();
    }

    /** The header counted by {@link #readingHeader} was read in full. */
    public void headerRead() {
        reading.decrementAndGet();
    }

    /** A request, its header read, is in progress until {@link #requestEnded}. */
    public void requestStarted() {
        requests.increment();
        writing.incrementAndGet();
    }

    /** A connection closed while reading a header (after {@link #readingHeader}, no {@link #headerRead}). */
    public void headerAbandoned() {
        reading.decrementAndGet();
    }

    /** A request in progress ended (answered, or its connection lost). */
    public void requestEnded() {
        writing.decrementAndGet();
    }

    /**
     * The API's {@code DELETE /connections}: accepted and dropped count again from zero, for every
     * reader (the API, the metrics page and stub_status alike).
     */
    public void resetConnections() {
        handled.reset();
        accepted.reset();
    }

    /** The API's {@code DELETE /http/requests}: the total of requests counts again from zero, for every reader. */
    public void resetRequests() {
        requests.reset();
    }

    /** The counters now. The three current figures are read one after the other, not at one instant. */
    public Snapshot snapshot() {
        long a = active.get();
        long r = reading.get();
        long w = writing.get();
        return new Snapshot(accepted.sum(), handled.sum(), requests.sum(), a, r, w, Math.max(0, a - r - w));
    }

    /**
     * stub_status's figures: totals since the node started, then the connections open now and how
     * they split (waiting: open, with no request being read or processed, as keep-alive ones).
     */
    public record Snapshot(long accepted, long handled, long requests, long active, long reading, long writing,
            long waiting) {
        /** Connections closed at once over worker_connections (0 while a reset races an accept). */
        public long dropped() {
            return Math.max(0, accepted - handled);
        }
    }
}
