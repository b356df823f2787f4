package io.zonesync.http.healthcheck;

import io.zonesync.http.upstream.HealthMonitor;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.PeerHealth;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.net.dns.Scheduler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code health_check} of an upstream group: each server is checked at once when the group
 * takes over or the server appears, then every {@code interval} (plus up to {@code jitter}) after
 * its previous check ended; one check at a time per server. What a check is (an http request and
 * its {@link MatchSpec}, a stream connection) is its {@link Runtime}'s; the verdict goes to the
 * group ({@link UpstreamGroup#checked}), or, when the group has several checks, to their
 * {@link HealthChecks}. All its work runs on the scheduler's one thread.
 */
public final class HealthChecker implements HealthMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    /** Where checks run: a timer thread and the way a server is checked; closed at {@link #stop}. */
    public interface Runtime {
        Scheduler scheduler();

        /**
         * Checks the server at {@code address} once: completes with null when it passed, with what
         * was wrong (for the log) when it answered wrong, exceptionally when it could not be reached.
         */
        CompletableFuture<String> check(InetSocketAddress address);

        void close();
    }

    private final HealthCheckSpec spec;
    private final Supplier<Runtime> runtimes;
    /** The checks of the group this one is part of, or null when it is the group's only monitor. */
    private volatile HealthChecks owner;
    /** Set once started; then guarded by the scheduler's thread. */
    private volatile Runtime runtime;
    private volatile boolean stopped;
    private UpstreamGroup group;
    /** The servers being checked, and the pending timer of each. */
    private final Map<Peer, Scheduler.Cancellable> timers = new HashMap<>();

    public HealthChecker(HealthCheckSpec spec, Supplier<Runtime> runtimes) {
        this.spec = spec;
        this.runtimes = runtimes;
    }

    public HealthCheckSpec spec() {
        return spec;
    }

    /** This check is one of {@code checks}, which combine the verdicts. */
    void joined(HealthChecks checks) {
        owner = checks;
    }

    @Override
    public boolean mandatory() {
        return spec.mandatory();
    }

    @Override
    public boolean persistent() {
        return spec.persistent();
    }

    @Override
    public void start(UpstreamGroup g) {
        Runtime r = runtimes.get();
        runtime = r;
        r.scheduler().execute(() -> {
            group = g;
            sync(g.peers());
        });
    }

    @Override
    public void peersChanged(List<Peer> peers) {
        Runtime r = runtime;
        if (r != null && !stopped) {
            List<Peer> now = List.copyOf(peers);
            r.scheduler().execute(() -> sync(now));
        }
    }

    @Override
    public void stop() {
        stopped = true;
        Runtime r = runtime;
        if (r != null) {
            r.scheduler().execute(() -> {
                timers.values().forEach(c -> {
                    if (c != null) {
                        c.cancel();
                    }
                });
                timers.clear();
                r.close();
            });
        }
    }

    /** New servers are checked now; servers that left are no longer checked. */
    private void sync(List<Peer> peers) {
        if (stopped || group == null) {
            return;
        }
        timers.keySet().removeIf(p -> {
            if (peers.contains(p)) {
                return false;
            }
            Scheduler.Cancellable c = timers.get(p);
            if (c != null) {
                c.cancel();
            }
            return true;
        });
        for (Peer p : peers) {
            if (!timers.containsKey(p)) {
                timers.put(p, null);
                check(p);
            }
        }
    }

    private void check(Peer p) {
        timers.put(p, null);
        InetSocketAddress address = p.spec().address();
        if (spec.port() != 0) {
            address = new InetSocketAddress(address.getAddress(), spec.port());
        }
        Runtime r = runtime;
        r.check(address).whenComplete((wrong, error) -> r.scheduler().execute(() -> {
            String why = error != null ? "connection (" + error.getMessage() + ")" : wrong;
            verdict(p, why == null, why);
        }));
    }

    private void verdict(Peer p, boolean passed, String why) {
        if (stopped || !timers.containsKey(p)) {
            return;
        }
        PeerHealth before = p.health();
        HealthChecks checks = owner;
        PeerHealth after = checks == null ? group.checked(p, passed, spec.fails(), spec.passes())
                : checks.checked(this, p, passed);
        if (after.unhealthy() && !before.unhealthy()) {
            LOG.warn("peer is unhealthy while checking {}: {} in upstream \"{}\"", why, p.addressText(),
                    group.name());
        } else if (before.excludes() && !after.excludes()) {
            LOG.info("peer is healthy: {} in upstream \"{}\"", p.addressText(), group.name());
        }
        long jitter = spec.jitterMs() > 0 ? ThreadLocalRandom.current().nextLong(spec.jitterMs() + 1) : 0;
        long delay = spec.intervalMs() + jitter;
        timers.put(p, runtime.scheduler().schedule(() -> {
            if (!stopped && timers.containsKey(p)) {
                check(p);
            }
        }, delay));
    }
}
