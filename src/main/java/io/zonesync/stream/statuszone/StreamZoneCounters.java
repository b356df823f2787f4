package io.zonesync.stream.statuszone;

import io.zonesync.net.HandshakeCounters;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of one stream status zone, as NGINX Plus keeps them: connections accepted and those
 * in progress, sessions completed by status class, connections that ended without a session
 * status, and bytes received from and sent to clients. Safe from any thread.
 */
public final class StreamZoneCounters {
    private final HandshakeCounters handshakes = new HandshakeCounters();
    private final AtomicLong processing = new AtomicLong();
    private final LongAdder connections = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder success = new LongAdder();
    private final LongAdder clientError = new LongAdder();
    private final LongAdder serverError = new LongAdder();

    /** A connection began in this zone; {@link #ended} follows. */
    void started() {
        processing.incrementAndGet();
        connections.increment();
    }

    /** A connection {@link #started} here ended with {@code status} ($status: 200, 400, 403, 500, 502, 503). */
    void ended(int status, long bytesReceived, long bytesSent) {
        processing.decrementAndGet();
        received.add(bytesReceived);
        sent.add(bytesSent);
        if (status >= 200 && status < 300) {
            success.increment();
        } else if (status >= 400 && status < 500) {
            clientError.increment();
        } else if (status >= 500 && status < 600) {
            serverError.increment();
        } else {
            discarded.increment();
        }
    }

    /** The TLS handshakes of the zone's servers' {@code ssl} listeners. */
    public HandshakeCounters handshakes() {
        return handshakes;
    }

    /** The API's DELETE: every total counts again from zero ({@code processing} stays), for every reader. */
    public void reset() {
        handshakes.reset();
        connections.reset();
        discarded.reset();
        received.reset();
        sent.reset();
        success.reset();
        clientError.reset();
        serverError.reset();
    }

    /** The figures now. */
    public Report report() {
        long ok = success.sum();
        long client = clientError.sum();
        long server = serverError.sum();
        return new Report(processing.get(), connections.sum(), new Sessions(ok, client, server, ok + client + server),
                discarded.sum(), received.sum(), sent.sum(), handshakes.report());
    }

    /** One zone's figures. */
    public record Report(long processing, long connections, Sessions sessions, long discarded, long received,
            long sent, HandshakeCounters.Report ssl) {
    }

    /** Sessions completed, by status class and in all. */
    public record Sessions(long success, long clientError, long serverError, long total) {
    }
}
