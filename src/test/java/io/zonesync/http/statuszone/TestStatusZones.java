package io.zonesync.http.statuszone;

/** Counts requests in a {@link StatusZones} as the status zone feature would, for tests of its readers. */
public final class TestStatusZones {
    private TestStatusZones() {
    }

    /** A request served in server zone {@code server} and, when not null, location zone {@code location}. */
    public static void served(StatusZones zones, String server, String location, int status, long received,
            long sent) {
        ZoneCounters s = zones.server(server);
        s.started();
        s.ended(true, status, received, sent, true);
        if (location != null) {
            zones.location(location).ended(true, status, received, sent, false);
        }
    }

    /** The TLS handshake figures of server zone {@code server}. */
    public static io.zonesync.net.HandshakeCounters handshakes(StatusZones zones, String server) {
        return zones.server(server).handshakes();
    }

    /** A request that began in server zone {@code server} and is still in progress. */
    public static void inProgress(StatusZones zones, String server) {
        zones.server(server).started();
    }
}
