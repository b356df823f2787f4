package io.zonesync.http.statuszone;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's status zones by name, server zones and location zones apart, kept as NGINX Plus keeps
 * them in shared memory: a zone's counters outlive reloads, and several servers (or locations)
 * naming one zone add up in it. Zones are made when a configuration first names them; reports
 * list those the configuration in force names ({@link #inForce}), so a reload that fails after
 * compiling shows none of its own.
 */
public final class StatusZones {
    private final Map<String, ZoneCounters> servers = new ConcurrentHashMap<>();
    private final Map<String, ZoneCounters> locations = new ConcurrentHashMap<>();
    private volatile Named inForce = Named.NONE;

    /** The server and location zones one configuration names. */
    public record Named(Set<String> servers, Set<String> locations) {
        public static final Named NONE = new Named(Set.of(), Set.of());

        public Named {
            servers = Set.copyOf(servers);
            locations = Set.copyOf(locations);
        }
    }

    ZoneCounters server(String name) {
        return servers.computeIfAbsent(name, n -> new ZoneCounters());
    }

    ZoneCounters location(String name) {
        return locations.computeIfAbsent(name, n -> new ZoneCounters());
    }

    /** The configuration now in force names these zones: reports list them alone. */
    public void inForce(Named named) {
        inForce = named;
    }

    /** The figures of a server zone, empty when the configuration in force does not name it. */
    public Optional<ZoneCounters.Report> serverZone(String name) {
        return shown(servers, inForce.servers(), name).map(ZoneCounters::report);
    }

    /** The figures of a location zone, empty when the configuration in force does not name it. */
    public Optional<ZoneCounters.Report> locationZone(String name) {
        return shown(locations, inForce.locations(), name).map(ZoneCounters::report);
    }

    /** Resets a server zone's figures ({@link ZoneCounters#reset}); false when the configuration in force does not name it. */
    public boolean resetServerZone(String name) {
        return reset(shown(servers, inForce.servers(), name));
    }

    /** Resets a location zone's figures ({@link ZoneCounters#reset}); false when the configuration in force does not name it. */
    public boolean resetLocationZone(String name) {
        return reset(shown(locations, inForce.locations(), name));
    }

    private static Optional<ZoneCounters> shown(Map<String, ZoneCounters> zones, Set<String> named, String name) {
        return named.contains(name) ? Optional.ofNullable(zones.get(name)) : Optional.empty();
    }

    private static boolean reset(Optional<ZoneCounters> zone) {
        zone.ifPresent(ZoneCounters::reset);
        return zone.isPresent();
    }

    /** The names of the server zones the configuration in force names, sorted. */
    public SortedSet<String> serverZoneNames() {
        return new TreeSet<>(inForce.servers());
    }

    /** The names of the location zones the configuration in force names, sorted. */
    public SortedSet<String> locationZoneNames() {
        return new TreeSet<>(inForce.locations());
    }
}
