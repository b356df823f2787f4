package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream group at run time: its balancing method (nginx's smooth weighted round robin over
 * the primary servers, then the backup servers when no primary one is usable; or another method,
 * {@link BalancerState}); {@code max_conns}; failure accounting ({@code max_fails}
 * failures within {@code fail_timeout} make a server unavailable for {@code fail_timeout}); a
 * sticky hint that picks a bound server when it is usable; and the keep-alive cache.
 *
 * <p>Thread-safe: requests on every event loop share one group; selection and release hold its
 * lock for a few field updates. A group with a single server and no backup is never marked
 * unavailable, as in nginx.
 */
public final class UpstreamGroup {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGroup.class);

    private final UpstreamSpec spec;
    private final List<Peer> primary = new ArrayList<>();
    private final List<Peer> backup = new ArrayList<>();
    private final List<Peer> all = new ArrayList<>();
    private final boolean single;
    private final Clock clock;
    private final KeepalivePool pool;
    private final BalancerState balancer;
    private final ComplexValue hashKey;
    private volatile StickyPolicy sticky;

    /**
     * The group of {@code spec} in the configuration whose variables are {@code variables}, which
     * a {@code hash} key may use (a ConfigException names its line).
     */
    public static UpstreamGroup compile(UpstreamSpec spec, Clock clock, VariableRegistry variables)
            throws ConfigException {
        return new UpstreamGroup(spec, clock, spec.balancing() instanceof Balancing.Hash h
                ? ComplexValue.compile(h.key(), variables, h.directive().where()) : null);
    }

    /**
     * A group whose {@code hash} key, if it has one, the caller evaluates and passes to
     * {@link #selectFor} (the stream proxy, which has its own variables).
     */
    public static UpstreamGroup keyedByCaller(UpstreamSpec spec, Clock clock) {
        return new UpstreamGroup(spec, clock, null);
    }

    /** A group whose method needs no key ({@code hash} needs {@link #compile}). */
    public UpstreamGroup(UpstreamSpec spec, Clock clock) {
        this(spec, clock, null);
        if (spec.balancing() instanceof Balancing.Hash) {
            throw new IllegalArgumentException("upstream \"" + spec.name() + "\" hashes a key: compile it");
        }
    }

    private UpstreamGroup(UpstreamSpec spec, Clock clock, ComplexValue hashKey) {
        this.spec = spec;
        this.clock = clock;
        int id = 0;
        for (ServerSpec s : spec.servers()) {
            if (!s.backup()) {
                primary.add(new Peer(id++, s));
            }
        }
        for (ServerSpec s : spec.servers()) {
            if (s.backup()) {
                backup.add(new Peer(id++, s));
            }
        }
        all.addAll(primary);
        all.addAll(backup);
        this.single = primary.size() == 1 && backup.isEmpty();
        this.pool = new KeepalivePool(spec.keepalive(), spec.keepaliveTimeoutMs(), spec.keepaliveRequests());
        this.balancer = new BalancerState(spec.balancing(), primary);
        this.hashKey = hashKey;
    }

    public String name() {
        return spec.name();
    }

    public UpstreamSpec spec() {
        return spec;
    }

    /** Primary servers first, then backup ones; the index is the peer id. */
    public List<Peer> peers() {
        return List.copyOf(all);
    }

    public KeepalivePool pool() {
        return pool;
    }

    public StickyPolicy sticky() {
        return sticky;
    }

    public void setSticky(StickyPolicy policy) {
        this.sticky = policy;
    }

    public Attempts newAttempts() {
        return new Attempts(all.size());
    }

    /**
     * The server for the next attempt, or null when none is left ("no live upstreams"). A usable
     * server whose sid equals {@code hint} is taken first; else the group's balancing method
     * chooses, with what it needs of {@code request} (the hash key, the client address).
     */
    public Peer select(Attempts attempts, String hint, RequestView request) {
        return select(attempts, hint, request == null ? null : request.remoteAddress(),
                () -> hashKey.evaluate(request));
    }

    /**
     * As above for a caller that evaluates the {@code hash} key itself (a group made with
     * {@link #keyedByCaller}): {@code client} for {@code ip_hash}, {@code hashKey} for {@code hash}.
     */
    public Peer selectFor(Attempts attempts, SocketAddress client, String hashKey) {
        return select(attempts, null, client, () -> hashKey);
    }

    private synchronized Peer select(Attempts attempts, String hint, SocketAddress client, Supplier<String> key) {
        if (attempts.remaining() <= 0) {
            return null;
        }
        long now = clock.millis();
        Peer chosen = null;
        if (single) {
            Peer p = primary.get(0);
            chosen = p.spec().down() || attempts.tried(p) || atMaxConns(p) ? null : p;
        } else {
            if (hint != null) {
                chosen = byHint(attempts, hint, now);
            }
            if (chosen == null) {
                chosen = byMethod(attempts, client, key, now);
            }
        }
        if (chosen == null) {
            return null;
        }
        if (now - chosen.checked > chosen.spec().failTimeoutMs()) {
            chosen.checked = now;
        }
        attempts.mark(chosen);
        chosen.active++;
        chosen.requests++;
        chosen.selected = now;
        return chosen;
    }

    private Peer byMethod(Attempts attempts, SocketAddress client, Supplier<String> key, long now) {
        Balancing method = spec.balancing();
        if (method instanceof Balancing.LeastConn) {
            return leastConn(attempts, now);
        }
        if (method instanceof Balancing.RoundRobin) {
            return roundRobin(attempts, now);
        }
        Peer p;
        if (method instanceof Balancing.IpHash) {
            p = balancer.ipHash(attempts, clientAddress(client), now);
        } else if (method instanceof Balancing.Hash) {
            p = balancer.hash(attempts, key.get(), now);
        } else {
            p = balancer.random(attempts, ((Balancing.Random) method).two(), now);
        }
        // null: as in nginx (an empty key, or 20 tries that found no server), round robin chooses
        return p == null ? roundRobin(attempts, now) : p;
    }

    /** nginx's round robin: the primary servers, then, when none is usable, the backup ones. */
    private Peer roundRobin(Attempts attempts, long now) {
        Peer chosen = null;
        if (!attempts.onBackup) {
            chosen = roundRobin(primary, attempts, now);
            if (chosen == null && !backup.isEmpty()) {
                attempts.onBackup = true;
            }
        }
        if (chosen == null && attempts.onBackup) {
            chosen = roundRobin(backup, attempts, now);
        }
        return chosen;
    }

    /** {@code least_conn}: as round robin, over the servers with the fewest connections for their weight. */
    private Peer leastConn(Attempts attempts, long now) {
        Peer chosen = null;
        if (!attempts.onBackup) {
            chosen = BalancerState.leastConn(primary, attempts, now);
            if (chosen == null && !backup.isEmpty()) {
                attempts.onBackup = true;
            }
        }
        if (chosen == null && attempts.onBackup) {
            chosen = BalancerState.leastConn(backup, attempts, now);
        }
        return chosen;
    }

    private Peer byHint(Attempts attempts, String hint, long now) {
        for (Peer p : attempts.onBackup ? backup : all) {
            if (p.sid().equals(hint) && usable(p, attempts, now)) {
                return p;
            }
        }
        return null;
    }

    /** Not down, not tried by this request, not out for failures, under its {@code max_conns}. */
    static boolean usable(Peer p, Attempts attempts, long now) {
        return !p.spec().down() && !attempts.tried(p) && !p.unavailable(now) && !atMaxConns(p);
    }

    private static boolean atMaxConns(Peer p) {
        return p.spec().maxConns() > 0 && p.active >= p.spec().maxConns();
    }

    /** The bytes ip_hash hashes: the first three of an IPv4 address, all of an IPv6 one. */
    private static byte[] clientAddress(SocketAddress client) {
        if (client instanceof InetSocketAddress inet
                && inet.getAddress() != null) {
            byte[] a = inet.getAddress().getAddress();
            return a.length == 4 ? Arrays.copyOf(a, 3) : a;
        }
        return new byte[3]; // a unix socket client: nginx's pseudo address
    }

    static Peer roundRobin(List<Peer> peers, Attempts attempts, long now) {
        return smoothRoundRobin(peers, p -> usable(p, attempts, now));
    }

    /**
     * nginx's smooth weighted round robin among the {@code eligible} of {@code peers}: each gains
     * its effective weight, the highest is chosen and pays back the total.
     */
    static Peer smoothRoundRobin(List<Peer> peers, Predicate<Peer> eligible) {
        Peer best = null;
        int total = 0;
        for (Peer p : peers) {
            if (!eligible.test(p)) {
                continue;
            }
            p.currentWeight += p.effectiveWeight;
            total += p.effectiveWeight;
            if (p.effectiveWeight < p.spec().weight()) {
                p.effectiveWeight++;
            }
            if (best == null || p.currentWeight > best.currentWeight) {
                best = p;
            }
        }
        if (best != null) {
            best.currentWeight -= total;
        }
        return best;
    }

    /** Ends an attempt on {@code peer}: failure accounting and the active count. */
    public synchronized void release(Peer peer, Outcome outcome) {
        peer.active--;
        if (single) {
            if (outcome == Outcome.FAILED) {
                peer.failsTotal++;
            }
            return;
        }
        long now = clock.millis();
        if (outcome == Outcome.FAILED) {
            peer.fails++;
            peer.failsTotal++;
            peer.accessed = now;
            peer.checked = now;
            int maxFails = peer.spec().maxFails();
            if (maxFails > 0) {
                peer.effectiveWeight = Math.max(0, peer.effectiveWeight - peer.spec().weight() / maxFails);
                if (peer.fails == maxFails) {
                    peer.unavail++;
                    peer.downstart = now;
                    LOG.warn("upstream server temporarily disabled: {} in upstream \"{}\" failed {} time(s)"
                            + " within {} ms", peer.addressText(), name(), peer.fails, peer.spec().failTimeoutMs());
                }
            }
        } else if (peer.accessed < peer.checked) {
            if (peer.downstart != 0) {
                peer.downtimeMs += now - peer.downstart;
                peer.downstart = 0;
            }
            peer.fails = 0;
        }
    }

    /** Counts a response status and the bytes of an attempt for the API. */
    public synchronized void account(Peer peer, int status, long sent, long received) {
        if (status >= 100 && status < 600) {
            peer.responsesByClass[status / 100 - 1]++;
            peer.codes.merge(status, 1L, Long::sum);
        }
        peer.sent += sent;
        peer.received += received;
    }

    /** The API's view of the group, taken under the lock. */
    public synchronized UpstreamStatus status() {
        long now = clock.millis();
        List<UpstreamStatus.PeerStatus> peers = new ArrayList<>();
        for (Peer p : all) {
            String state = p.spec().down() ? "down" : !single && p.unavailable(now) ? "unavail" : "up";
            // Down while unavailable: once fail_timeout has passed the server is tried again and
            // shows as up, so its downtime stops there even before a request succeeds.
            boolean down = p.downstart != 0 && !single && p.unavailable(now);
            long downUntil = down ? now : Math.min(now, p.checked + p.spec().failTimeoutMs());
            long downtime = p.downtimeMs + (p.downstart != 0 ? Math.max(0, downUntil - p.downstart) : 0);
            peers.add(new UpstreamStatus.PeerStatus(p.id(), p.addressText(), p.spec().name(), p.spec().backup(),
                    p.spec().weight(), state, p.active, p.requests, p.responsesByClass.clone(),
                    new TreeMap<>(p.codes), p.sent, p.received, p.failsTotal, p.unavail, downtime,
                    down ? p.downstart : 0, p.selected));
        }
        return new UpstreamStatus(name(), spec.zone(), pool.idleCount(), peers);
    }

    /** The API's DELETE: statistics back to zero (balancer state is kept). */
    public synchronized void resetStatistics() {
        for (Peer p : all) {
            p.resetStatistics();
        }
    }
}
