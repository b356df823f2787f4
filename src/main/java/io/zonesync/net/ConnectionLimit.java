package io.zonesync.net;

import io.netty.channel.Channel;
import io.zonesync.log.RepeatedLog;
import io.zonesync.log.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@code worker_connections}, counted as nginx counts its connections: every socket the
 * node holds, listening sockets, client connections, upstream connections and zone_sync links
 * alike. A connection that would go over the limit is refused (closed at once) with nginx's
 * {@code [alert] N worker_connections are not enough}, written at most once per
 * {@link #LOG_INTERVAL_MS}.
 *
 * <p>When the node runs zone_sync, the last eighth of the connections (at least one) is kept for
 * its links: client and upstream connections stop short of it, so a flood of clients cannot keep
 * a peer from connecting. Listening sockets are always counted and never refused.
 */
public final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    /** At most one "not enough" line this often. */
    public static final long LOG_INTERVAL_MS = 5000;

    private final AtomicInteger open = new AtomicInteger();
    private final ConnectionStats stats = new ConnectionStats();
    private final RepeatedLog notEnough;
    private volatile int limit;
    private volatile int reserve;

    private ConnectionLimit(int limit, Clock clock) {
        this.limit = limit;
        this.notEnough = new RepeatedLog(LOG, Severity.ALERT, Duration.ofMillis(LOG_INTERVAL_MS), clock);
    }

    /** {@code worker_connections} connections, none kept back until {@link #configure} says so. */
    public static ConnectionLimit of(int workerConnections) {
        return of(workerConnections, Clock.systemUTC());
    }

    /** As {@link #of(int)}, with the clock that paces the alert. */
    static ConnectionLimit of(int workerConnections, Clock clock) {
        return new ConnectionLimit(workerConnections, clock);
    }

    /** No limit: a part run on its own, outside a node (tests, tools). */
    public static ConnectionLimit unlimited() {
        return of(Integer.MAX_VALUE);
    }

    /**
     * Applies {@code worker_connections} (at start and on reload; connections already open stay
     * open) and whether zone_sync links get their reserve.
     */
    public void configure(int workerConnections, boolean zoneSync) {
        limit = workerConnections;
        reserve = zoneSync ? reserveFor(workerConnections) : 0;
    }

    /** The connections kept for zone_sync links out of {@code workerConnections}: an eighth, at least one. */
    public static int reserveFor(int workerConnections) {
        return Math.max(1, workerConnections / 8);
    }

    /** Counts a listening socket until it closes; never refused. */
    public void listening(Channel ch) {
        open.incrementAndGet();
        holdUntilClosed(ch);
    }

    /**
     * Admits a client or upstream connection until it closes: false (with the alert) when only the
     * reserve is left. The caller closes a refused channel.
     */
    public boolean admitClient(Channel ch) {
        return admit(ch, reserve);
    }

    /** Admits a zone_sync link, which may use the reserve: false (with the alert) at the limit. */
    public boolean admitSync(Channel ch) {
        return admit(ch, 0);
    }

    /**
     * Takes a client slot for a connection about to be dialled (upstream): false (with the alert)
     * when only the reserve is left. Give the slot back with {@link #release} if the connect fails,
     * or hand it to the connection with {@link #holdUntilClosed}.
     */
    public boolean takeClientSlot() {
        return take(reserve);
    }

    /** Gives back a slot taken with {@link #takeClientSlot} for a connection that did not come about. */
    public void release() {
        open.decrementAndGet();
    }

    /** The slot taken for {@code ch} is given back when it closes. */
    public void holdUntilClosed(Channel ch) {
        ch.closeFuture().addListener(f -> open.decrementAndGet());
    }

    /** What stub_status reports of the connections this limit admits and refuses. */
    public ConnectionStats stats() {
        return stats;
    }

    /** Connections counted now. */
    public int open() {
        return open.get();
    }

    private boolean admit(Channel ch, int keepBack) {
        if (!take(keepBack)) {
            return false;
        }
        holdUntilClosed(ch);
        return true;
    }

    private boolean take(int keepBack) {
        int max = limit;
        int allowed = max - keepBack;
        while (true) {
            int now = open.get();
            if (now >= allowed) {
                notEnough.log("not enough", max + " worker_connections are not enough"
                        + (keepBack > 0 ? " (" + keepBack + " of them kept for zone_sync links)" : ""));
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
