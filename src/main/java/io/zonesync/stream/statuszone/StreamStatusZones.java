package io.zonesync.stream.statuszone;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's stream status zones by name ({@code status_zone} in stream servers), kept as NGINX Plus
 * keeps them in shared memory: a zone's counters outlive reloads, and servers naming one zone add
 * up in it. Reports list the zones the configuration in force names ({@link #inForce}), so a reload
 * that fails after compiling shows none of its own.
 */
public final class StreamStatusZones {
    private final Map<String, StreamZoneCounters> zones = new ConcurrentHashMap<>();
    private volatile Set<String> inForce = Set.of();

    StreamZoneCounters zone(String name) {
        return zones.computeIfAbsent(name, n -> new StreamZoneCounters());
    }

    /** The configuration now in force names these zones: reports list them alone. */
    public void inForce(Set<String> names) {
        inForce = Set.copyOf(names);
    }

    /** The figures of a zone, empty when the configuration in force does not name it. */
    public Optional<StreamZoneCounters.Report> report(String name) {
        return shown(name).map(StreamZoneCounters::report);
    }

    /** Resets a zone's totals ({@link StreamZoneCounters#reset}); false when the configuration in force does not name it. */
    public boolean reset(String name) {
        Optional<StreamZoneCounters> zone = shown(name);
        zone.ifPresent(StreamZoneCounters::reset);
        return zone.isPresent();
    }

    private Optional<StreamZoneCounters> shown(String name) {
        return inForce.contains(name) ? Optional.ofNullable(zones.get(name)) : Optional.empty();
    }

    /** The names of the zones the configuration in force names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(inForce);
    }
}
