package io.zonesync.http.upstream;

import io.zonesync.net.Transport;
import io.zonesync.net.dns.NettyDnsLookup;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.net.dns.Scheduler;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's part of its {@code zone} ({@link UpstreamZones}): what outlives a reload when the
 * zone keeps its name — the peers with their counters, the next peer id — and the DNS resolution
 * of its {@code resolve} lines, which runs for the group of the committed configuration. Its monitor is the lock of every group that
 * uses it, so that the old configuration's requests in flight and the new one's share peers
 * safely.
 */
public final class UpstreamZone {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamZone.class);

    private final String name;
    private final String upstream;
    private List<Peer> peers = List.of();
    private List<UpstreamGroup.ResolveLine> lines = List.of();
    private int nextId;
    private UpstreamGroup pending;
    private UpstreamGroup owner;
    private Transport dnsTransport;
    private UpstreamResolver resolver;
    private HealthMonitor monitor;
    private final HealthVerdicts verdicts;
    private final ResolverZones resolvers;

    UpstreamZone(String name, String upstream, HealthVerdicts verdicts, ResolverZones resolvers) {
        this.name = name;
        this.resolvers = resolvers;
        this.upstream = upstream;
        this.verdicts = verdicts;
    }

    /** The verdicts of the zone's health checks, shared when the zone is {@code sync}. */
    HealthVerdicts verdicts() {
        return verdicts;
    }

    synchronized List<Peer> peers() {
        return peers;
    }

    synchronized void setPeers(List<Peer> now) {
        peers = now;
    }

    synchronized List<UpstreamGroup.ResolveLine> lines() {
        return lines;
    }

    synchronized void setLines(List<UpstreamGroup.ResolveLine> now) {
        lines = now;
    }

    /**
     * A {@code resolve} line the API added to {@code group}: looked up from now on if the group is
     * in force (a group still being prepared starts its lookups when committed).
     */
    synchronized void track(UpstreamGroup group, ServerSpec template) {
        if (owner != group) {
            return;
        }
        if (resolver == null) {
            startResolving(group);
        } else {
            resolver.track(template);
        }
    }

    /** The API removed a {@code resolve} line of {@code group}: no more lookups for it. */
    synchronized void forget(UpstreamGroup group, ServerSpec template) {
        if (owner == group && resolver != null) {
            resolver.forget(template);
        }
    }

    synchronized int newId() {
        return nextId++;
    }

    /** The group a configuration being compiled made for this zone: it takes over at {@link #commit}. */
    synchronized void prepare(UpstreamGroup group) {
        pending = group;
    }

    /** The group the configuration being compiled made for this zone, or null. */
    public synchronized UpstreamGroup prepared() {
        return pending;
    }

    /** The group in force, or null before the first commit. */
    synchronized UpstreamGroup owner() {
        return owner;
    }

    /**
     * The configuration that prepared a group is in force: that group's servers take over, and its
     * {@code resolve} lines are looked up from now on (the previous group's lookups stop).
     */
    void commit() {
        UpstreamGroup next;
        synchronized (this) {
            next = pending;
            pending = null;
            if (next == null) {
                return;
            }
            next.activate();
            owner = next;
        }
        stopResolving();
        stopMonitor();
        monitor = next.monitor();
        // without a health check now, no server stays out for what an earlier one found (but for
        // the verdicts of a sync zone, which are the cluster's)
        next.restartHealth(monitor != null && monitor.mandatory(), monitor != null && monitor.persistent());
        if (monitor != null) {
            monitor.start(next);
        }
        synchronized (this) {
            if (!next.resolveLines().isEmpty()) {
                startResolving(next);
            }
        }
    }

    private synchronized void startResolving(UpstreamGroup group) {
        UpstreamSpec spec = group.spec();
        if (dnsTransport == null) {
            dnsTransport = Transport.create(1, "upstream-" + name + "-dns");
        }
        NettyDnsLookup lookup;
        try {
            lookup = NettyDnsLookup.fromConf(spec.resolver(), dnsTransport, resolvers);
        } catch (UnknownHostException e) {
            LOG.error("upstream \"{}\": {}; its \"resolve\" servers are not looked up", upstream, e.getMessage());
            return;
        }
        resolver = new UpstreamResolver(group, lookup, RefreshPolicy.of(spec.resolver()),
                Scheduler.on(dnsTransport.group().next()));
        resolver.start();
    }

    private synchronized void stopResolving() {
        if (resolver != null) {
            resolver.stop();
            resolver = null;
        }
    }

    private void stopMonitor() {
        if (monitor != null) {
            monitor.stop();
            monitor = null;
        }
    }

    /** The zone is no longer configured, or the node stops. */
    void release() {
        stopResolving();
        stopMonitor();
        if (dnsTransport != null) {
            dnsTransport.shutdown();
            dnsTransport = null;
        }
    }
}
