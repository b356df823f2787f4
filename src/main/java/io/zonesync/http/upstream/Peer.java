package io.zonesync.http.upstream;

import io.zonesync.net.HandshakeCounters;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * One server of an upstream group at run time: the balancer's state (smooth weighted round robin
 * weights, failures in the current {@code fail_timeout} window) and the counters the API shows.
 * Every field is guarded by the owning {@link UpstreamGroup}'s lock (its zone's, when it has one:
 * a peer that stays across a reload, or across a DNS answer, is the same object, with its counters
 * and its requests in flight). Its parameters may change at run time (the API); its address does not.
 */
public final class Peer {
    private final int id;
    private volatile ServerSpec spec;
    /**
     * {@code ip:port} of {@link #spec}, made once: every proxied request names its peer
     * ({@code $upstream_addr}), and formatting the address each time was 1% of a request's allocation.
     */
    private volatile String addressText;
    private volatile String sid;

    // balancer
    int currentWeight;
    int effectiveWeight;
    int fails;
    long accessed;
    long checked;

    // statistics
    int active;
    long requests;
    final long[] responsesByClass = new long[5];
    final TreeMap<Integer, Long> codes = new TreeMap<>();
    long sent;
    long received;
    long failsTotal;
    long unavail;
    long downtimeMs;
    long downstart;
    long selected;
    /** Responses completed, and the sums of their header and whole-response times (ms). */
    long timed;
    long headerTimeTotal;
    long responseTimeTotal;
    /** Stream connections: how many connected and the sum of their connect times (ms); how many had a first byte and its sum. */
    long connectTimed;
    long connectTimeTotal;
    long firstByteTimed;
    long firstByteTimeTotal;
    /** least_time's moving averages (ms) of the time to the header and to the last byte. */
    double headerAverage;
    double responseAverage;
    /** The sum of the times (ms) the requests in flight were sent here, for least_time inflight. */
    long inflightSince;
    /** When the server came back from being unavailable (ms), while {@code slow_start} runs; 0 otherwise. */
    long slowStartSince;
    /** What active health checks found. */
    PeerHealth health = PeerHealth.UNCHECKED;
    /** The TLS handshakes made with the server (proxy_ssl); null until the first. */
    HandshakeCounters handshakes;

    Peer(int id, ServerSpec spec) {
        this.id = id;
        this.spec = spec;
        this.sid = spec.sid();
        this.addressText = spec.addressText();
        this.effectiveWeight = spec.weight();
    }

    public int id() {
        return id;
    }

    public ServerSpec spec() {
        return spec;
    }

    /** New parameters for the same address (a reload, the API). */
    void setSpec(ServerSpec next) {
        int oldWeight = spec.weight();
        this.spec = next;
        this.sid = next.sid();
        this.addressText = next.addressText();
        if (next.weight() != oldWeight) {
            effectiveWeight = next.weight();
            currentWeight = 0;
        }
    }

    /** The {@code resolve} line this peer came from ({@link ServerSpec#origin}), or null for a static server. */
    String origin() {
        return spec.resolve() ? spec.origin() : null;
    }

    /** The server id sticky sessions bind to. */
    public String sid() {
        return sid;
    }

    /** What active health checks found (read under the group's lock, or as a hint). */
    public PeerHealth health() {
        return health;
    }

    public String addressText() {
        return addressText;
    }

    /**
     * The weight the balancer gives the server at {@code now}: its weight, or during
     * {@code slow_start} after it came back, a share of it growing with the time since (at least 1).
     */
    int weight(long now) {
        int weight = spec.weight();
        long slow = spec.slowStartMs();
        if (slowStartSince == 0 || slow <= 0) {
            return weight;
        }
        long elapsed = now - slowStartSince;
        if (elapsed >= slow) {
            slowStartSince = 0;
            return weight;
        }
        return (int) Math.max(1, weight * Math.max(0, elapsed) / slow);
    }

    /** Whether failures have taken the server out until its fail_timeout window ends. */
    boolean unavailable(long now) {
        return spec.maxFails() > 0 && fails >= spec.maxFails() && now - checked <= spec.failTimeoutMs();
    }

    void resetStatistics() {
        requests = 0;
        Arrays.fill(responsesByClass, 0);
        codes.clear();
        sent = 0;
        received = 0;
        failsTotal = 0;
        unavail = 0;
        downtimeMs = 0;
        timed = 0;
        headerTimeTotal = 0;
        responseTimeTotal = 0;
        connectTimed = 0;
        connectTimeTotal = 0;
        firstByteTimed = 0;
        firstByteTimeTotal = 0;
        if (handshakes != null) {
            handshakes.reset();
        }
    }

    @Override
    public String toString() {
        return spec.addressText();
    }
}
