package io.zonesync.http.statuszone;

import io.zonesync.net.HandshakeCounters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of one status zone, as NGINX Plus keeps them: requests (for a server zone, also
 * those in progress), responses by class and by code, requests that ended without a response,
 * and bytes received and sent. Safe from any thread.
 */
public final class ZoneCounters {
    private final HandshakeCounters handshakes = new HandshakeCounters();
    private final AtomicLong processing = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder[] classes = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()};
    private final Map<Integer, LongAdder> codes = new ConcurrentHashMap<>();

    /** A request began in this (server) zone; {@link #ended} follows. */
    void started() {
        processing.incrementAndGet();
        requests.increment();
    }

    /**
     * A request ended here. {@code status} is 0 or ignored when no response was sent (the request
     * is then discarded); {@code counted} is false when {@link #started} counted it already.
     */
    void ended(boolean responded, int status, long bytesReceived, long bytesSent, boolean counted) {
        if (counted) {
            processing.decrementAndGet();
        } else {
            requests.increment();
        }
        received.add(bytesReceived);
        sent.add(bytesSent);
        if (!responded || status < 100 || status > 599) {
            discarded.increment();
            return;
        }
        classes[status / 100 - 1].increment();
        codes.computeIfAbsent(status, c -> new LongAdder()).increment();
    }

    /** The TLS handshakes of the zone's servers' {@code ssl} listeners. */
    public HandshakeCounters handshakes() {
        return handshakes;
    }

    /**
     * The API's DELETE: requests, responses, discarded and bytes count again from zero (requests in
     * progress stay counted in {@code processing}), for every reader.
     */
    public void reset() {
        handshakes.reset();
        requests.reset();
        discarded.reset();
        received.reset();
        sent.reset();
        for (LongAdder c : classes) {
            c.reset();
        }
        codes.clear();
    }

    /** The figures now. */
    public Report report() {
        Map<Integer, Long> byCode = new TreeMap<>();
        codes.forEach((c, n) -> byCode.put(c, n.sum()));
        long[] byClass = new long[5];
        long total = 0;
        for (int i = 0; i < 5; i++) {
            byClass[i] = classes[i].sum();
            total += byClass[i];
        }
        return new Report(processing.get(), requests.sum(), new Responses(byClass[0], byClass[1], byClass[2],
                byClass[3], byClass[4], Map.copyOf(byCode), total), discarded.sum(), received.sum(), sent.sum(), handshakes.report());
    }

    /**
     * One zone's figures; {@code processing} is always 0 for a location zone, as {@code ssl} is
     * (only a server's listeners have handshakes).
     */
    public record Report(long processing, long requests, Responses responses, long discarded, long received,
            long sent, HandshakeCounters.Report ssl) {
    }

    /** Responses sent, by class, by code, and in all. */
    public record Responses(long informational, long successful, long redirection, long clientError,
            long serverError, Map<Integer, Long> codes, long total) {
    }
}
