package io.zonesync.http.statuszone;

import java.util.Set;
import java.util.TreeSet;

/**
 * Counts requests in a {@link StatusZones} as the status zone feature would, for tests of its
 * readers; a zone counted in is one the configuration in force names, so the readers list it.
 */
public final class TestStatusZones {
    private TestStatusZones() {
    }

    /** Puts these zones among those the configuration in force names. */
    private static void named(StatusZones zones, String server, String location) {
        Set<String> servers = new TreeSet<>(zones.serverZoneNames());
        Set<String> locations = new TreeSet<>(zones.locationZoneNames());
        servers.add(server);
        if (location != null) {
            locations.add(location);
        }
        zones.inForce(new StatusZones.Named(servers, locations));
    }

    /** A request served in server zone {@code server} and, when not null, location zone {@code location}. */
    public static void served(StatusZones zones, String server, String location, int status, long received,
            long sent) {
        named(zones, server, location);
        ZoneCounters s = zones.server(server);
        s.started();
        s.ended(true, status, received, sent, true);
        if (location != null) {
            zones.location(location).ended(true, status, received, sent, false);
        }
    }

    /** The TLS handshake figures of server zone {@code server}. */
    public static io.zonesync.net.HandshakeCounters handshakes(StatusZones zones, String server) {
        named(zones, server, null);
        return zones.server(server).handshakes();
    }

    /** A request that began in server zone {@code server} and is still in progress. */
    public static void inProgress(StatusZones zones, String server) {
        named(zones, server, null);
        zones.server(server).started();
    }
}
