package io.zonesync.http.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream {@code zone} name: as in nginx, several upstream blocks may share it, each with its
 * own servers ({@link UpstreamZone}) in it. Kept across reloads while the name stays.
 */
public final class UpstreamZones {
    private final String name;
    private final Map<String, UpstreamZone> byUpstream = new LinkedHashMap<>();

    UpstreamZones(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The part of the zone that holds {@code upstream}'s servers (made on first use). */
    public synchronized UpstreamZone of(String upstream) {
        return byUpstream.computeIfAbsent(upstream, u -> new UpstreamZone(name, u));
    }

    /** A configuration whose upstreams in this zone are {@code upstreams} is in force. */
    void commit(Collection<String> upstreams) {
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
