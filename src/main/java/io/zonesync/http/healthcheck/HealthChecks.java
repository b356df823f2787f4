package io.zonesync.http.healthcheck;

import io.zonesync.http.upstream.HealthMonitor;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.PeerHealth;
import io.zonesync.http.upstream.UpstreamGroup;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every {@code health_check} of one upstream group (in one or several locations, or stream
 * servers), as the group's one monitor. With a single check its verdicts go to the group as they
 * are. With several, as in NGINX Plus, a server is unhealthy while any check finds it so: each check
 * moves its own state of the server ({@code fails} and {@code passes} in a row of its own), and the
 * server is unhealthy when one of those is, checking when one is (and none unhealthy), healthy
 * otherwise; the API's counters count the checks of all of them.
 */
public final class HealthChecks implements HealthMonitor {
    private final List<HealthChecker> checkers = new CopyOnWriteArrayList<>();
    /**
     * With several checks: each check's state of each server. Changed by {@link #checked} under
     * this object's lock; {@link #peersChanged} (under the group's lock, which {@link #checked}
     * takes after this one) only removes.
     */
    private final Map<HealthChecker, Map<Peer, PeerHealth>> states = new ConcurrentHashMap<>();
    private volatile UpstreamGroup group;

    /** One more check of the group, before its configuration is in force. */
    public void add(HealthChecker checker) {
        checkers.add(checker);
        states.put(checker, new ConcurrentHashMap<>());
        checker.joined(this);
    }

    @Override
    public boolean mandatory() {
        return checkers.stream().anyMatch(c -> c.spec().mandatory());
    }

    @Override
    public boolean persistent() {
        return checkers.stream().anyMatch(c -> c.spec().persistent());
    }

    @Override
    public void start(UpstreamGroup g) {
        group = g;
        checkers.forEach(c -> c.start(g));
    }

    @Override
    public void peersChanged(List<Peer> peers) {
        Set<Peer> now = new HashSet<>(peers);
        states.values().forEach(m -> m.keySet().retainAll(now));
        checkers.forEach(c -> c.peersChanged(peers));
    }

    @Override
    public void stop() {
        checkers.forEach(HealthChecker::stop);
    }

    /** {@code checker} found {@code peer} {@code passed} or not; returns the server's state after it. */
    synchronized PeerHealth checked(HealthChecker checker, Peer peer, boolean passed) {
        HealthCheckSpec spec = checker.spec();
        if (checkers.size() == 1) {
            return group.checked(peer, passed, spec.fails(), spec.passes());
        }
        boolean checkingNow = peer.health().checking();
        for (HealthChecker c : checkers) {
            // a server starts checking under the checks that are mandatory, healthy under the others
            states.get(c).computeIfAbsent(peer,
                    p -> PeerHealth.UNCHECKED.restart(checkingNow && c.spec().mandatory(), false));
        }
        Map<Peer, PeerHealth> mine = states.get(checker);
        mine.put(peer, mine.get(peer).after(passed, spec.fails(), spec.passes()));
        boolean unhealthy = false;
        boolean checking = false;
        for (Map<Peer, PeerHealth> m : states.values()) {
            PeerHealth h = m.get(peer);
            unhealthy |= h.unhealthy();
            checking |= h.checking();
        }
        return group.judged(peer, passed, unhealthy, checking && !unhealthy);
    }
}
