package io.zonesync.http.upstream;

import io.zonesync.net.dns.ResolverZones;
import io.zonesync.zone.StampSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream {@code zone} name: as in nginx, several upstream blocks may share it, each with its
 * own servers ({@link UpstreamZone}) in it. Kept across reloads while the name stays. With
 * {@code sync}, its servers' health check verdicts are shared with the peers ({@link HealthVerdicts}).
 */
public final class UpstreamZones {
    private final String name;
    private final Map<String, UpstreamZone> byUpstream = new LinkedHashMap<>();
    private final HealthVerdicts verdicts;
    private final ResolverZones resolvers;

    /** @param resolvers where the {@code resolve} lookups of its upstreams are counted */
    UpstreamZones(String name, StampSource stamps, ResolverZones resolvers) {
        this.name = name;
        this.resolvers = resolvers;
        this.verdicts = new HealthVerdicts(name, stamps, this::decided);
    }

    /** The zone's health check verdicts, the replica of a {@code sync} zone. */
    public HealthVerdicts verdicts() {
        return verdicts;
    }

    /** A peer's verdict won: the group in force of its upstream moves the server. */
    private void decided(HealthVerdicts.Key key, HealthVerdicts.Verdict verdict) {
        UpstreamZone z;
        synchronized (this) {
            z = byUpstream.get(key.upstream());
        }
        UpstreamGroup g = z == null ? null : z.owner();
        if (g != null) {
            g.decided(key.address(), verdict);
        }
    }

    public String name() {
        return name;
    }

    /** The part of the zone that holds {@code upstream}'s servers (made on first use). */
    public synchronized UpstreamZone of(String upstream) {
        return byUpstream.computeIfAbsent(upstream, u -> new UpstreamZone(name, u, verdicts, resolvers));
    }

    /**
     * A configuration whose upstreams in this zone are {@code upstreams} is in force; {@code sync}:
     * whether it shares their health check verdicts.
     */
    void commit(Collection<String> upstreams, boolean sync) {
        verdicts.setSynced(sync);
        // a zone that stops syncing forgets its verdicts, lest they come back stale with sync
        verdicts.retain(sync ? upstreams : List.of());
        List<UpstreamZone> gone = new ArrayList<>();
        List<UpstreamZone> kept = new ArrayList<>();
        synchronized (this) {
            byUpstream.entrySet().removeIf(e -> {
                if (upstreams.contains(e.getKey())) {
                    kept.add(e.getValue());
                    return false;
                }
                gone.add(e.getValue());
                return true;
            });
        }
        gone.forEach(UpstreamZone::release);
        kept.forEach(UpstreamZone::commit);
    }

    /** The zone is no longer configured, or the node stops. */
    void release() {
        List<UpstreamZone> all;
        synchronized (this) {
            all = List.copyOf(byUpstream.values());
            byUpstream.clear();
        }
        all.forEach(UpstreamZone::release);
    }
}
