package io.zonesync.http.statuszone;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's status zones by name, server zones and location zones apart, kept as NGINX Plus keeps
 * them in shared memory: a zone's counters outlive reloads, and several servers (or locations)
 * naming one zone add up in it. Zones are made when a configuration first names them; which of
 * them a report lists is up to the reader (those the configuration serving names).
 */
public final class StatusZones {
    private final Map<String, ZoneCounters> servers = new ConcurrentHashMap<>();
    private final Map<String, ZoneCounters> locations = new ConcurrentHashMap<>();

    ZoneCounters server(String name) {
        return servers.computeIfAbsent(name, n -> new ZoneCounters());
    }

    ZoneCounters location(String name) {
        return locations.computeIfAbsent(name, n -> new ZoneCounters());
    }

    /** The figures of a server zone, empty when no configuration named it. */
    public Optional<ZoneCounters.Report> serverZone(String name) {
        return Optional.ofNullable(servers.get(name)).map(ZoneCounters::report);
    }

    /** The figures of a location zone, empty when no configuration named it. */
    public Optional<ZoneCounters.Report> locationZone(String name) {
        return Optional.ofNullable(locations.get(name)).map(ZoneCounters::report);
    }

    /** Resets a server zone's figures ({@link ZoneCounters#reset}); false when no configuration named it. */
    public boolean resetServerZone(String name) {
        return reset(servers.get(name));
    }

    /** Resets a location zone's figures ({@link ZoneCounters#reset}); false when no configuration named it. */
    public boolean resetLocationZone(String name) {
        return reset(locations.get(name));
    }

    private static boolean reset(ZoneCounters zone) {
        if (zone == null) {
            return false;
        }
        zone.reset();
        return true;
    }

    /** The names of the server zones any configuration named so far, sorted. */
    public SortedSet<String> serverZoneNames() {
        return new TreeSet<>(servers.keySet());
    }

    /** The names of the location zones any configuration named so far, sorted. */
    public SortedSet<String> locationZoneNames() {
        return new TreeSet<>(locations.keySet());
    }
}
