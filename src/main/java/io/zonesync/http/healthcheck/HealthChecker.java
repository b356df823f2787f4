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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one upstream group's {@code health_check}: each server is checked at once when the group
 * takes over or the server appears, then every {@code interval} (plus up to {@code jitter}) after
 * its previous check ended; one check at a time per server. A check passes when a response came
 * (within the proxy's connect and read timeouts) and meets the {@link MatchSpec}; the verdict goes
 * to the group ({@link UpstreamGroup#checked}). All its work runs on the scheduler's one thread.
 */
public final class HealthChecker implements HealthMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    /** Where checks run: a timer thread and the way requests are sent; closed at {@link #stop}. */
    public interface Runtime {
        Scheduler scheduler();

        HealthProbe probe();

        void close();
    }

    private final HealthCheckSpec spec;
    private final MatchSpec match;
    private final HealthProbe.ProbeRequest request;
    private final Supplier<Runtime> runtimes;
    /** Set once started; then guarded by the scheduler's thread. */
    private volatile Runtime runtime;
    private volatile boolean stopped;
    private UpstreamGroup group;
    /** The servers being checked, and the pending timer of each. */
    private final Map<Peer, Scheduler.Cancellable> timers = new HashMap<>();

    public HealthChecker(HealthCheckSpec spec, MatchSpec match, HealthProbe.ProbeRequest request,
            Supplier<Runtime> runtimes) {
        this.spec = spec;
        this.match = match;
        this.request = request;
        this.runtimes = runtimes;
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
        r.probe().probe(address, request).whenComplete((response, error) -> r.scheduler().execute(() -> {
            boolean passed = error == null && match.test(response);
            verdict(p, passed, error, response);
        }));
    }

    private void verdict(Peer p, boolean passed, Throwable error, ProbeResponse response) {
        if (stopped || !timers.containsKey(p)) {
            return;
        }
        PeerHealth before = p.health();
        PeerHealth after = group.checked(p, passed, spec.fails(), spec.passes());
        if (after.unhealthy() && !before.unhealthy()) {
            LOG.warn("peer is unhealthy while checking {}: {} in upstream \"{}\"",
                    error != null ? "connection (" + error.getMessage() + ")"
                            : "response (status " + response.status() + ")",
                    p.addressText(), group.name());
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
