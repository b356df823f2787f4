package io.zonesync.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The node's connection and request counters, counted where nginx counts the figures its
 * {@code stub_status} shows: connections accepted from clients and peers (http and zone_sync
 * listeners alike; not those the node dials), those handled (not refused at
 * {@code worker_connections}), those open now, and of the http ones, how many are reading a
 * request header and how many have a request in progress. The same figures are also counted per
 * worker, the event loop that serves the connection (NGINX Plus's {@code /workers}), once
 * {@link #countPerWorker} has named the loops. Safe from any thread.
 */
public final class ConnectionStats {
    private final Counters node = new Counters();
    private volatile Map<EventExecutor, Counters> byLoop = Map.of();
    private volatile List<Counters> workers = List.of();
    private final HandshakeCounters handshakes = new HandshakeCounters();

    /** The TLS handshakes of every listener of the node (http, stream and zone_sync's): NGINX Plus's {@code /ssl}. */
    public HandshakeCounters handshakes() {
        return handshakes;
    }

    /**
     * From now on, a connection served by one of {@code loops} counts also in that loop's own
     * figures: the loops are the workers, numbered from 0 in this order. A connection on another
     * loop (zone_sync's) counts in the node's figures only.
     */
    public void countPerWorker(Iterable<? extends EventExecutor> loops) {
        Map<EventExecutor, Counters> map = new IdentityHashMap<>();
        List<Counters> list = new ArrayList<>();
        for (EventExecutor loop : loops) {
            Counters c = new Counters();
            map.put(loop, c);
            list.add(c);
        }
        byLoop = map;
        workers = List.copyOf(list);
    }

    /** An accepted connection the node keeps: open until its channel closes. */
    public void accepted(Channel ch) {
        count(ch, c -> c.accepted(ch));
    }

    /** A connection accepted on {@code ch}'s loop and closed at once, over worker_connections. */
    public void dropped(Channel ch) {
        count(ch, c -> c.accepted.increment());
    }

    /** The first bytes of a request header arrived on {@code ch}: it is reading until {@link #headerRead}. */
    public void readingHeader(Channel ch) {
        count(ch, c -> c.reading.incrementAndGet());
    }

    /** The header counted by {@link #readingHeader} was read in full. */
    public void headerRead(Channel ch) {
        count(ch, c -> c.reading.decrementAndGet());
    }

    /** {@code ch} closed while reading a header (after {@link #readingHeader}, no {@link #headerRead}). */
    public void headerAbandoned(Channel ch) {
        headerRead(ch);
    }

    /** A request on {@code ch}, its header read, is in progress until {@link #requestEnded}. */
    public void requestStarted(Channel ch) {
        count(ch, Counters::requestStarted);
    }

    /** A request in progress on {@code ch} ended (answered, or its connection lost). */
    public void requestEnded(Channel ch) {
        count(ch, c -> c.writing.decrementAndGet());
    }

    /**
     * The API's {@code DELETE /connections}: accepted and dropped count again from zero, for every
     * reader (the API, the metrics page and stub_status alike).
     */
    public void resetConnections() {
        node.handled.reset();
        node.accepted.reset();
    }

    /** The API's {@code DELETE /http/requests}: the total of requests counts again from zero, for every reader. */
    public void resetRequests() {
        node.requests.reset();
    }

    /** The counters now. The three current figures are read one after the other, not at one instant. */
    public Snapshot snapshot() {
        return node.snapshot();
    }

    /** Each worker's counters now, in worker order (id 0 first); empty until {@link #countPerWorker}. */
    public List<Snapshot> workers() {
        List<Snapshot> out = new ArrayList<>();
        for (Counters c : workers) {
            out.add(c.snapshot());
        }
        return out;
    }

    /**
     * The API's {@code DELETE /workers/{id}}: worker {@code id}'s accepted, dropped and request
     * totals count again from zero (what is open or in progress now stays as it is); false when
     * there is no such worker. The node's totals are not touched.
     */
    public boolean resetWorker(int id) {
        List<Counters> all = workers;
        if (id < 0 || id >= all.size()) {
            return false;
        }
        all.get(id).resetTotals();
        return true;
    }

    /** Applies {@code change} to the node's figures and to those of the worker serving {@code ch}, if any. */
    private void count(Channel ch, Consumer<Counters> change) {
        change.accept(node);
        Counters w = byLoop.get(ch.eventLoop());
        if (w != null) {
            change.accept(w);
        }
    }

    /** One set of figures: the node's, or one worker's. */
    private static final class Counters {
        final LongAdder accepted = new LongAdder();
        final LongAdder handled = new LongAdder();
        final AtomicLong active = new AtomicLong();
        final LongAdder requests = new LongAdder();
        final AtomicLong reading = new AtomicLong();
        final AtomicLong writing = new AtomicLong();

        void accepted(Channel ch) {
            accepted.increment();
            handled.increment();
            active.incrementAndGet();
            ch.closeFuture().addListener(f -> active.decrementAndGet());
        }

        void requestStarted() {
            requests.increment();
            writing.incrementAndGet();
        }

        void resetTotals() {
            handled.reset();
            accepted.reset();
            requests.reset();
        }

        Snapshot snapshot() {
            long a = active.get();
            long r = reading.get();
            long w = writing.get();
            return new Snapshot(accepted.sum(), handled.sum(), requests.sum(), a, r, w, Math.max(0, a - r - w));
        }
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
