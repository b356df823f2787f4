package io.zonesync.stream.statuszone;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's stream status zones by name ({@code status_zone} in stream servers), kept as NGINX Plus
 * keeps them in shared memory: a zone's counters outlive reloads, and servers naming one zone add
 * up in it.
 */
public final class StreamStatusZones {
    private final Map<String, StreamZoneCounters> zones = new ConcurrentHashMap<>();

    StreamZoneCounters zone(String name) {
        return zones.computeIfAbsent(name, n -> new StreamZoneCounters());
    }

    /** The figures of a zone, empty when no configuration named it. */
    public Optional<StreamZoneCounters.Report> report(String name) {
        return Optional.ofNullable(zones.get(name)).map(StreamZoneCounters::report);
    }

    /** Resets a zone's totals ({@link StreamZoneCounters#reset}); false when no configuration named it. */
    public boolean reset(String name) {
        StreamZoneCounters zone = zones.get(name);
        if (zone == null) {
            return false;
        }
        zone.reset();
        return true;
    }

    /** The names of the zones any configuration named so far, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(zones.keySet());
    }
}
