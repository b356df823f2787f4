package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.net.HandshakeCounters;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream group at run time: its balancing method (nginx's smooth weighted round robin over
 * the primary servers, then the backup servers when no primary one is usable; or another method,
 * {@link BalancerState}); {@code max_conns}; failure accounting ({@code max_fails}
 * failures within {@code fail_timeout} make a server unavailable for {@code fail_timeout}); a
 * sticky hint that picks a bound server when it is usable (also when it is draining);
 * {@code slow_start}; the {@code queue} of requests waiting for a server; and the keep-alive cache.
 *
 * <p>The server list may change at run time: DNS answers for {@code resolve} lines
 * ({@link #resolved}) and the API ({@link #add}, {@link #patch}, {@link #remove}). A peer that
 * stays is the same object, so its counters, its sticky bindings (its sid) and its requests in
 * flight are unaffected. With a {@code zone}, the peers live in the {@link UpstreamZone} and the
 * next configuration's group starts from them; it takes over when the zone is committed
 * ({@link #activate}).
 *
 * <p>Thread-safe: requests on every event loop share one group; selection and release hold its
 * lock (the zone, when it has one, which the groups of successive configurations share) for a few
 * field updates. A group with a single server and no backup is never marked unavailable, as in
 * nginx.
 */
public final class UpstreamGroup {
    /**
     * A {@code resolve} line (from the configuration, or added through the API) with its id: the
     * servers DNS gives it name it as their {@code parent}.
     */
    public record ResolveLine(int id, ServerSpec template) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGroup.class);
    /** How much the latest response moves least_time's average. */
    private static final double AVERAGE_WEIGHT = 0.25;

    private final UpstreamSpec spec;
    private final UpstreamZone zone;
    private final Object lock;
    private List<Peer> primary = List.of();
    private List<Peer> backup = List.of();
    private List<Peer> all = List.of();
    private List<ResolveLine> lines = List.of();
    private boolean single;
    private BalancerState balancer;
    /** The peers this configuration starts with and their parameters, until {@link #activate}. */
    private List<Peer> planned;
    private List<ServerSpec> plannedSpecs;
    private List<ResolveLine> plannedLines;
    private int nextId;
    /** Requests waiting for a server ({@code queue}): how each is woken, oldest first. */
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private long queueOverflows;
    private final Clock clock;
    private final KeepalivePool pool;
    private final ComplexValue hashKey;
    private volatile StickyPolicy sticky;
    private HealthMonitor monitor;

    /**
     * The group of {@code spec} in the configuration whose variables are {@code variables}, which
     * a {@code hash} key may use (a ConfigException names its line); {@code zone} is the
     * upstream's zone (null without {@code zone}), whose peers it starts from.
     */
    public static UpstreamGroup compile(UpstreamSpec spec, Clock clock, VariableRegistry variables, UpstreamZone zone)
            throws ConfigException {
        return new UpstreamGroup(spec, clock, spec.balancing() instanceof Balancing.Hash h
                ? ComplexValue.compile(h.key(), variables, h.directive().where()) : null, zone);
    }

    /** A group without a zone (its servers live as long as it does). */
    public static UpstreamGroup compile(UpstreamSpec spec, Clock clock, VariableRegistry variables)
            throws ConfigException {
        return compile(spec, clock, variables, null);
    }

    /**
     * A group without a zone whose {@code hash} key, if it has one, the caller evaluates and passes
     * to {@link #selectFor} (the stream proxy, which has its own variables).
     */
    public static UpstreamGroup keyedByCaller(UpstreamSpec spec, Clock clock) {
        return new UpstreamGroup(spec, clock, null, null);
    }

    /** The same in {@code zone}, whose peers it starts from and which it takes over at commit. */
    public static UpstreamGroup keyedByCaller(UpstreamSpec spec, Clock clock, UpstreamZone zone) {
        return new UpstreamGroup(spec, clock, null, zone);
    }

    /** A group whose method needs no key ({@code hash} needs {@link #compile}), without a zone. */
    public UpstreamGroup(UpstreamSpec spec, Clock clock) {
        this(spec, clock, null, null);
        if (spec.balancing() instanceof Balancing.Hash) {
            throw new IllegalArgumentException("upstream \"" + spec.name() + "\" hashes a key: compile it");
        }
    }

    private UpstreamGroup(UpstreamSpec spec, Clock clock, ComplexValue hashKey, UpstreamZone zone) {
        this.spec = spec;
        this.clock = clock;
        this.zone = zone;
        this.lock = zone == null ? new Object() : zone;
        this.pool = new KeepalivePool(spec.keepalive(), spec.keepaliveTimeoutMs(), spec.keepaliveRequests());
        this.hashKey = hashKey;
        synchronized (lock) {
            plan(zone == null ? List.of() : zone.peers());
        }
        if (zone == null) {
            activate();
        } else {
            zone.prepare(this);
        }
    }

    /**
     * The peers to start with: a configured server whose address (and backup flag) a peer of the
     * zone has keeps that peer; a {@code resolve} line keeps the peers last resolved for it until
     * DNS answers; the rest are new. Primary servers are numbered before backup ones.
     */
    private void plan(List<Peer> before) {
        List<Peer> free = new ArrayList<>(before);
        List<Peer> peers = new ArrayList<>();
        List<ServerSpec> specs = new ArrayList<>();
        for (boolean backupPass : new boolean[] {false, true}) {
            for (ServerSpec s : spec.servers()) {
                if (s.backup() != backupPass) {
                    continue;
                }
                Peer kept = null;
                for (Peer p : free) {
                    if (p.origin() == null && p.spec().address().equals(s.address()) && p.spec().backup() == s.backup()) {
                        kept = p;
                        break;
                    }
                }
                free.remove(kept);
                peers.add(kept != null ? kept : new Peer(newId(), s));
                specs.add(s);
            }
            for (ServerSpec t : spec.resolvable()) {
                for (Peer p : List.copyOf(free)) {
                    if (t.origin().equals(p.origin()) && p.spec().backup() == backupPass) {
                        free.remove(p);
                        peers.add(p);
                        specs.add(t.service() == null ? t.at(p.spec().address())
                                : t.at(p.spec().address(), p.spec().weight(), p.spec().backup()));
                    }
                }
            }
        }
        planned = peers;
        plannedSpecs = specs;
        List<ResolveLine> kept = zone == null ? List.of() : zone.lines();
        List<ResolveLine> next = new ArrayList<>();
        for (ServerSpec t : spec.resolvable()) {
            ResolveLine line = null;
            for (ResolveLine k : kept) {
                if (k.template().origin().equals(t.origin())) {
                    line = new ResolveLine(k.id(), t);
                }
            }
            next.add(line != null ? line : new ResolveLine(newId(), t));
        }
        plannedLines = List.copyOf(next);
    }

    private int newId() {
        return zone == null ? nextId++ : zone.newId();
    }

    /**
     * This configuration's servers take over: kept peers get their new parameters. Called once,
     * when the zone is committed (at once without a zone).
     */
    void activate() {
        synchronized (lock) {
            if (planned == null) {
                return;
            }
            for (int i = 0; i < planned.size(); i++) {
                planned.get(i).setSpec(plannedSpecs.get(i));
            }
            setLines(plannedLines);
            setPeers(planned);
            planned = null;
            plannedSpecs = null;
            plannedLines = null;
        }
    }

    private void setLines(List<ResolveLine> next) {
        lines = List.copyOf(next);
        if (zone != null) {
            zone.setLines(lines);
        }
    }

    /** The {@code resolve} lines in force, in the order they were configured or added. */
    public List<ResolveLine> resolveLines() {
        synchronized (lock) {
            return lines;
        }
    }

    /** The id of the {@code resolve} line {@code peer} came from, or -1 for a static server. */
    public int parentOf(Peer peer) {
        synchronized (lock) {
            for (ResolveLine l : lines) {
                if (l.template().origin().equals(peer.origin())) {
                    return l.id();
                }
            }
            return -1;
        }
    }

    /**
     * The API's POST of a name: a new {@code resolve} line, looked up from now on; null when the
     * group has one for that name (and service) already.
     */
    public ResolveLine addResolveLine(ServerSpec template) {
        synchronized (lock) {
            for (ResolveLine l : lines) {
                if (l.template().origin().equals(template.origin())) {
                    return null;
                }
            }
            ResolveLine line = new ResolveLine(newId(), template);
            List<ResolveLine> next = new ArrayList<>(lines);
            next.add(line);
            setLines(next);
            if (zone != null) {
                zone.track(this, template);
            }
            return line;
        }
    }

    /**
     * The API's PATCH of a {@code resolve} line: its new parameters, which its servers take now
     * (an SRV server keeps its record's weight and rank); false when there is none with this id.
     */
    public boolean patchResolveLine(int id, ServerSpec template) {
        synchronized (lock) {
            List<ResolveLine> next = new ArrayList<>(lines);
            int at = -1;
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).id() == id) {
                    at = i;
                }
            }
            if (at < 0) {
                return false;
            }
            next.set(at, new ResolveLine(id, template));
            setLines(next);
            for (Peer p : all) {
                if (template.origin().equals(p.origin())) {
                    ServerSpec now = p.spec();
                    p.setSpec(template.service() == null ? template.at(now.address())
                            : template.at(now.address(), now.weight(), now.backup()));
                }
            }
            setPeers(all);
            return true;
        }
    }

    /**
     * The API's DELETE of a {@code resolve} line: it is no longer looked up and its servers leave
     * (their requests in flight finish); false when there is none with this id.
     */
    public boolean removeResolveLine(int id) {
        synchronized (lock) {
            ResolveLine gone = null;
            for (ResolveLine l : lines) {
                if (l.id() == id) {
                    gone = l;
                }
            }
            if (gone == null) {
                return false;
            }
            List<ResolveLine> next = new ArrayList<>(lines);
            next.remove(gone);
            setLines(next);
            String origin = gone.template().origin();
            List<Peer> peers = new ArrayList<>(all);
            peers.removeIf(p -> origin.equals(p.origin()));
            setPeers(peers);
            if (zone != null) {
                zone.forget(this, gone.template());
            }
            return true;
        }
    }

    /** Installs a new server list (under the lock): the method's state is rebuilt for it. */
    private void setPeers(List<Peer> peers) {
        List<Peer> p = new ArrayList<>();
        List<Peer> b = new ArrayList<>();
        for (Peer peer : peers) {
            (peer.spec().backup() ? b : p).add(peer);
        }
        primary = List.copyOf(p);
        backup = List.copyOf(b);
        List<Peer> both = new ArrayList<>(p);
        both.addAll(b);
        all = List.copyOf(both);
        single = primary.size() == 1 && backup.isEmpty();
        balancer = new BalancerState(spec.balancing(), primary);
        if (zone != null) {
            zone.setPeers(all);
        }
        if (monitor != null) {
            for (Peer peer : all) {
                if (monitor.mandatory() && peer.health.checks() == 0 && !peer.health.checking()) {
                    peer.health = peer.health.restart(true, false);
                }
            }
            monitor.peersChanged(all);
        }
        applyVerdictsLocked();
        while (!queue.isEmpty()) {
            queue.poll().run();
        }
    }

    /**
     * Puts a request that found no server in the {@code queue}; {@code wake} runs (under the lock:
     * it must only hand the retry to the request's thread) when a server may have become free. False
     * when the queue is full, or the group has none.
     */
    public boolean enqueue(Runnable wake) {
        synchronized (lock) {
            if (queue.size() >= spec.queueMax()) {
                if (spec.queueMax() > 0) {
                    queueOverflows++;
                }
                return false;
            }
            queue.add(wake);
            return true;
        }
    }

    /** Takes a request out of the queue (its timeout, or it went away); false when it had been woken already. */
    public boolean leaveQueue(Runnable wake) {
        synchronized (lock) {
            return queue.remove(wake);
        }
    }

    public String name() {
        return spec.name();
    }

    public UpstreamSpec spec() {
        return spec;
    }

    /** The zone the group's servers live in, or null. */
    public UpstreamZone zone() {
        return zone;
    }

    /** Primary servers first, then backup ones, as now. */
    public List<Peer> peers() {
        synchronized (lock) {
            return all;
        }
    }

    public KeepalivePool pool() {
        return pool;
    }

    /** The group's active health checks, or null. */
    public HealthMonitor monitor() {
        synchronized (lock) {
            return monitor;
        }
    }

    /** Gives the group its health checks, before its configuration is in force (one per group). */
    public void setMonitor(HealthMonitor m) {
        synchronized (lock) {
            if (monitor != null) {
                throw new IllegalStateException("upstream \"" + name() + "\" has health checks already");
            }
            monitor = m;
        }
    }

    /**
     * A health check starts for the group's servers: each begins as {@link PeerHealth#restart}
     * says (under the lock, so that no request sees a server between two states), or, in a
     * {@code sync} zone, as the verdict in force for it says.
     */
    public void restartHealth(boolean mandatory, boolean persistent) {
        synchronized (lock) {
            for (Peer p : all) {
                HealthVerdicts.Verdict v = verdictOf(p);
                if (v != null) {
                    decideLocked(p, v);
                } else {
                    p.health = p.health.restart(mandatory, persistent);
                }
            }
        }
    }

    /**
     * A health check of {@code peer} ended with {@code passed}; returns the server's state after it.
     * A server that comes back wakes the queue and begins its {@code slow_start}.
     */
    public PeerHealth checked(Peer peer, boolean passed, int fails, int passes) {
        return moved(peer, h -> h.after(passed, fails, passes));
    }

    /**
     * One of several health checks of {@code peer} ended with {@code passed}, and together they now
     * find it {@code unhealthy} or {@code checking} ({@link PeerHealth#judged}); returns its state,
     * as {@link #checked} does.
     */
    public PeerHealth judged(Peer peer, boolean passed, boolean unhealthy, boolean checking) {
        return moved(peer, h -> h.judged(passed, unhealthy, checking));
    }

    /** A check moved the server's health: a server that comes back wakes the queue; a sync zone hears the verdict. */
    private PeerHealth moved(Peer peer, UnaryOperator<PeerHealth> move) {
        PeerHealth after;
        HealthVerdicts.Key news = null;
        synchronized (lock) {
            PeerHealth before = peer.health;
            peer.health = move.apply(before);
            after = peer.health;
            if (before.excludes() && !peer.health.excludes()) {
                peer.slowStartSince = clock.millis(); // slow_start: healthy again, from weight 1
                wakeOne();
            }
            // recorded under the lock, so that a peer's verdict handed over meanwhile sees it
            if (zone != null) {
                news = zone.verdicts().checked(name(), peer.addressText(), after.unhealthy());
            }
        }
        if (news != null) {
            zone.verdicts().tell(news);
        }
        return after;
    }

    private void wakeOne() {
        Runnable next = queue.poll();
        if (next != null) {
            next.run();
        }
    }

    /**
     * Another node's check decided the servers at {@code address} ({@code zone ... sync}): they
     * move as this node's own deciding check would move them; one that comes back wakes the queue.
     */
    void decided(String address, HealthVerdicts.Verdict verdict) {
        synchronized (lock) {
            for (Peer p : all) {
                if (p.addressText().equals(address)) {
                    // the verdict in force now: a local check may have made a newer one since
                    HealthVerdicts.Verdict now = verdictOf(p);
                    decideLocked(p, now != null ? now : verdict);
                }
            }
        }
    }

    /** The verdicts in force of a {@code sync} zone decide its servers (new servers among them). */
    private void applyVerdictsLocked() {
        for (Peer p : all) {
            HealthVerdicts.Verdict v = verdictOf(p);
            if (v != null) {
                decideLocked(p, v);
            }
        }
    }

    /** The verdict in force for the server when the zone is {@code sync}, or null. */
    private HealthVerdicts.Verdict verdictOf(Peer p) {
        return zone == null || !zone.verdicts().synced() ? null : zone.verdicts().verdict(name(), p.addressText());
    }

    private void decideLocked(Peer p, HealthVerdicts.Verdict verdict) {
        PeerHealth before = p.health;
        p.health = before.decided(verdict.unhealthy());
        if (p.health.unhealthy() && !before.unhealthy()) {
            LOG.warn("peer is unhealthy by the check of node {}: {} in upstream \"{}\"",
                    Long.toHexString(verdict.stamp().node()), p.addressText(), name());
        } else if (before.excludes() && !p.health.excludes()) {
            LOG.info("peer is healthy by the check of node {}: {} in upstream \"{}\"",
                    Long.toHexString(verdict.stamp().node()), p.addressText(), name());
            p.slowStartSince = clock.millis(); // slow_start, as for this node's own check
            wakeOne();
        }
    }

    public StickyPolicy sticky() {
        return sticky;
    }

    public void setSticky(StickyPolicy policy) {
        this.sticky = policy;
    }

    public Attempts newAttempts() {
        synchronized (lock) {
            return new Attempts(all.size());
        }
    }

    /**
     * The server for the next attempt, or null when none is left ("no live upstreams"). A usable
     * server whose sid equals {@code hint} is taken first; else the group's balancing method
     * chooses, with what it needs of {@code request} (the hash key, the client address).
     */
    public Peer select(Attempts attempts, String hint, RequestView request) {
        synchronized (lock) {
            return selectLocked(attempts, hint, request == null ? null : request.remoteAddress(),
                    () -> hashKey.evaluate(request));
        }
    }

    /**
     * As above for a caller that evaluates the {@code hash} key itself (a group made with
     * {@link #keyedByCaller}): {@code client} for {@code ip_hash}, {@code hashKey} for {@code hash}.
     */
    public Peer selectFor(Attempts attempts, SocketAddress client, String hashKey) {
        synchronized (lock) {
            return selectLocked(attempts, null, client, () -> hashKey);
        }
    }

    private Peer selectLocked(Attempts attempts, String hint, SocketAddress client, Supplier<String> key) {
        if (attempts.remaining() <= 0 || all.isEmpty()) {
            return null;
        }
        long now = clock.millis();
        Peer chosen = null;
        if (single) {
            Peer p = primary.get(0);
            chosen = p.spec().down() || p.health.excludes() || p.spec().drain() && !p.sid().equals(hint)
                    || attempts.tried(p) || atMaxConns(p) ? null : p;
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
        attempts.selectedAt = now;
        chosen.inflightSince += now;
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
        if (method instanceof Balancing.LeastTime lt) {
            return leastTime(lt, attempts, now);
        }
        if (method instanceof Balancing.RoundRobin || primary.isEmpty()) {
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

    /** {@code least_time}: as least_conn, ranked by {@link BalancerState#leastTimeScore}. */
    private Peer leastTime(Balancing.LeastTime method, Attempts attempts, long now) {
        Peer chosen = null;
        if (!attempts.onBackup) {
            chosen = BalancerState.leastTime(primary, method, attempts, now);
            if (chosen == null && !backup.isEmpty()) {
                attempts.onBackup = true;
            }
        }
        if (chosen == null && attempts.onBackup) {
            chosen = BalancerState.leastTime(backup, method, attempts, now);
        }
        return chosen;
    }

    private Peer byHint(Attempts attempts, String hint, long now) {
        for (Peer p : attempts.onBackup ? backup : all) {
            if (p.sid().equals(hint) && usableWhenBound(p, attempts, now)) {
                return p;
            }
        }
        return null;
    }

    /** Not down or draining, not tried by this request, not out for failures, under its {@code max_conns}. */
    static boolean usable(Peer p, Attempts attempts, long now) {
        return !p.spec().drain() && usableWhenBound(p, attempts, now);
    }

    /** As {@link #usable}, for a request bound to the server by sticky: a draining server still takes it. */
    private static boolean usableWhenBound(Peer p, Attempts attempts, long now) {
        return !p.spec().down() && !p.health.excludes() && !attempts.tried(p) && !p.unavailable(now) && !atMaxConns(p);
    }

    private static boolean atMaxConns(Peer p) {
        return p.spec().maxConns() > 0 && p.active >= p.spec().maxConns();
    }

    /** The bytes ip_hash hashes: the first three of an IPv4 address, all of an IPv6 one. */
    private static byte[] clientAddress(SocketAddress client) {
        if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] a = inet.getAddress().getAddress();
            return a.length == 4 ? Arrays.copyOf(a, 3) : a;
        }
        return new byte[3]; // a unix socket client: nginx's pseudo address
    }

    static Peer roundRobin(List<Peer> peers, Attempts attempts, long now) {
        return smoothRoundRobin(peers, p -> usable(p, attempts, now), now);
    }

    /**
     * nginx's smooth weighted round robin among the {@code eligible} of {@code peers}: each gains
     * its effective weight, the highest is chosen and pays back the total.
     */
    static Peer smoothRoundRobin(List<Peer> peers, Predicate<Peer> eligible, long now) {
        Peer best = null;
        int total = 0;
        for (Peer p : peers) {
            if (!eligible.test(p)) {
                continue;
            }
            int weight = Math.min(p.effectiveWeight, p.weight(now));
            p.currentWeight += weight;
            total += weight;
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

    /** Ends the current attempt of {@code attempts} on {@code peer}: failure accounting and the active count. */
    public void release(Peer peer, Outcome outcome, Attempts attempts) {
        synchronized (lock) {
            peer.inflightSince -= attempts.selectedAt;
            releaseLocked(peer, outcome);
        }
    }

    private void releaseLocked(Peer peer, Outcome outcome) {
        peer.active--;
        Runnable next = queue.poll();
        if (next != null) {
            next.run();
        }
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
                peer.slowStartSince = now;
            }
            peer.fails = 0;
        }
    }

    /** Counts a response status and the bytes of an attempt for the API. */
    public void account(Peer peer, int status, long sent, long received) {
        synchronized (lock) {
            accountLocked(peer, status, sent, received);
        }
    }

    private static void accountLocked(Peer peer, int status, long sent, long received) {
        if (status >= 100 && status < 600) {
            peer.responsesByClass[status / 100 - 1]++;
            peer.codes.merge(status, 1L, Long::sum);
        }
        peer.sent += sent;
        peer.received += received;
    }

    /** A response from {@code peer} completed: how long its header and the whole of it took, for the API. */
    public void timed(Peer peer, long headerMs, long responseMs) {
        synchronized (lock) {
            peer.timed++;
            peer.headerTimeTotal += headerMs;
            peer.responseTimeTotal += responseMs;
            peer.headerAverage = peer.timed == 1 ? headerMs : peer.headerAverage * (1 - AVERAGE_WEIGHT)
                    + headerMs * AVERAGE_WEIGHT;
            peer.responseAverage = peer.timed == 1 ? responseMs : peer.responseAverage * (1 - AVERAGE_WEIGHT)
                    + responseMs * AVERAGE_WEIGHT;
        }
    }

    /**
     * A stream connection to {@code peer} ended: it took {@code connectMs} to connect, {@code firstByteMs}
     * to the server's first byte (-1 when none came) and {@code sessionMs} in all, for the API.
     */
    public void timedConnection(Peer peer, long connectMs, long firstByteMs, long sessionMs) {
        synchronized (lock) {
            peer.connectTimed++;
            peer.connectTimeTotal += connectMs;
            if (firstByteMs >= 0) {
                peer.firstByteTimed++;
                peer.firstByteTimeTotal += firstByteMs;
            }
            peer.timed++;
            peer.responseTimeTotal += sessionMs;
        }
    }

    /**
     * The counters of the TLS handshakes this node makes with {@code peer} (proxy_ssl), made at the
     * first: until then the API shows the server without an {@code ssl} object, as NGINX Plus does.
     */
    public HandshakeCounters handshakes(Peer peer) {
        synchronized (lock) {
            if (peer.handshakes == null) {
                peer.handshakes = new HandshakeCounters();
            }
            return peer.handshakes;
        }
    }

    /** The API's view of the group, taken under the lock. */
    public UpstreamStatus status() {
        synchronized (lock) {
            return statusLocked();
        }
    }

    private UpstreamStatus statusLocked() {
        long now = clock.millis();
        List<UpstreamStatus.PeerStatus> peers = new ArrayList<>();
        for (Peer p : all) {
            String state = p.spec().down() ? "down" : p.health.checking() ? "checking"
                    : p.health.unhealthy() ? "unhealthy" : !single && p.unavailable(now) ? "unavail"
                    : p.spec().drain() ? "draining" : "up";
            // Down while unavailable: once fail_timeout has passed the server is tried again and
            // shows as up, so its downtime stops there even before a request succeeds.
            boolean down = p.downstart != 0 && !single && p.unavailable(now);
            long downUntil = down ? now : Math.min(now, p.checked + p.spec().failTimeoutMs());
            long downtime = p.downtimeMs + (p.downstart != 0 ? Math.max(0, downUntil - p.downstart) : 0);
            peers.add(new UpstreamStatus.PeerStatus(p.id(), p.addressText(), p.spec().name(), p.spec().backup(),
                    p.spec().weight(), state, p.active, p.requests, p.responsesByClass.clone(),
                    new TreeMap<>(p.codes), p.sent, p.received, p.failsTotal, p.unavail, downtime,
                    down ? p.downstart : 0, p.selected, p.spec().maxConns(),
                    p.timed == 0 ? -1 : p.headerTimeTotal / p.timed, p.timed == 0 ? -1 : p.responseTimeTotal / p.timed,
                    p.spec().resolve() ? p.spec().name() : null, p.health,
                    p.connectTimed == 0 ? -1 : p.connectTimeTotal / p.connectTimed,
                    p.firstByteTimed == 0 ? -1 : p.firstByteTimeTotal / p.firstByteTimed,
                    p.handshakes == null ? null : p.handshakes.report()));
        }
        return new UpstreamStatus(name(), spec.zone(), pool.idleCount(), peers,
                spec.queueMax() == 0 ? null : new UpstreamStatus.Queue(queue.size(), spec.queueMax(), queueOverflows));
    }

    /** The API's DELETE: statistics back to zero (balancer state is kept). */
    public void resetStatistics() {
        synchronized (lock) {
            for (Peer p : all) {
                p.resetStatistics();
            }
        }
    }

    /**
     * A DNS answer for the {@code resolve} line {@code template}: its peers become {@code servers}
     * (one per address). Peers at addresses that stay are kept as they are (parameters the API
     * changed included; an SRV record's new weight or priority applies); the others leave the list (requests in
     * flight on them finish). Returns whether the list changed. Ignored once a newer
     * configuration's group has taken over the zone.
     */
    public boolean resolved(ServerSpec template, List<ServerSpec> servers) {
        synchronized (lock) {
            if (planned != null || zone != null && zone.owner() != this
                    || lines.stream().noneMatch(l -> l.template().origin().equals(template.origin()))) {
                return false;
            }
            List<Peer> next = new ArrayList<>();
            List<InetSocketAddress> have = new ArrayList<>();
            boolean changed = false;
            for (Peer p : all) {
                if (!template.origin().equals(p.origin())) {
                    next.add(p);
                    continue;
                }
                ServerSpec now = null;
                for (ServerSpec s : servers) {
                    if (s.address().equals(p.spec().address())) {
                        now = s;
                        break;
                    }
                }
                if (now == null || have.contains(now.address())) {
                    changed = true;
                    continue;
                }
                if (template.service() != null
                        && (now.weight() != p.spec().weight() || now.backup() != p.spec().backup())) {
                    p.setSpec(p.spec().at(now.address(), now.weight(), now.backup()));
                    changed = true;
                }
                next.add(p);
                have.add(now.address());
            }
            for (ServerSpec s : servers) {
                if (!have.contains(s.address())) {
                    have.add(s.address());
                    next.add(new Peer(newId(), s));
                    changed = true;
                }
            }
            if (changed) {
                setPeers(next);
            }
            return changed;
        }
    }

    /** The API's POST: a new server at the end of its list (primary or backup); returns its peer. */
    public Peer add(ServerSpec server) {
        synchronized (lock) {
            Peer p = new Peer(newId(), server);
            List<Peer> next = new ArrayList<>(all);
            next.add(p);
            setPeers(next);
            return p;
        }
    }

    /** The server with this id now, or null. */
    public Peer peer(int id) {
        synchronized (lock) {
            for (Peer p : all) {
                if (p.id() == id) {
                    return p;
                }
            }
            return null;
        }
    }

    /**
     * The API's PATCH: new parameters for the server with this id; returns the server now, or null
     * when there is none. A new address makes it a new server under the same id and in the same
     * place (its counters, health and kept-alive connections were the old address's; requests in
     * flight there finish).
     */
    public Peer patch(int id, ServerSpec changed) {
        synchronized (lock) {
            Peer p = peer(id);
            if (p == null) {
                return null;
            }
            if (!changed.address().equals(p.spec().address())) {
                Peer moved = new Peer(id, changed);
                List<Peer> next = new ArrayList<>(all);
                next.set(next.indexOf(p), moved);
                setPeers(next);
                return moved;
            }
            boolean cameBack = p.spec().down() && !changed.down();
            p.setSpec(changed);
            if (cameBack) {
                p.slowStartSince = clock.millis();
            }
            setPeers(all);
            return p;
        }
    }

    /** The API's DELETE: the server leaves the list (its requests in flight finish); false when there is none. */
    public boolean remove(int id) {
        synchronized (lock) {
            List<Peer> next = new ArrayList<>(all);
            if (!next.removeIf(p -> p.id() == id)) {
                return false;
            }
            setPeers(next);
            return true;
        }
    }

    /**
     * The servers as a state file lists them: each static server, and each {@code resolve} line
     * once, as configured or added (the servers DNS gave it are not written: DNS gives them again).
     */
    public List<ServerSpec> stateLines() {
        synchronized (lock) {
            List<ServerSpec> out = new ArrayList<>();
            for (Peer p : all) {
                if (!p.spec().resolve()) {
                    out.add(p.spec());
                }
            }
            lines.forEach(l -> out.add(l.template()));
            return out;
        }
    }
}
