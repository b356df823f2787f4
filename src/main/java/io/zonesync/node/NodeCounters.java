package io.zonesync.node;

import io.zonesync.http.metrics.StreamZoneFigures;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.stream.statuszone.StreamStatusZones;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the node counts for its reports and keeps across reloads: its connections and requests
 * ({@code stub_status}), its status zones, http's and stream's, and its resolver status zones (the
 * limit_conn zones and caches are each configuration's, {@link ShownZones}).
 */
record NodeCounters(ConnectionStats connections, StatusZones statusZones, StreamStatusZones streamZones,
        ResolverZones resolvers) {

    NodeCounters(ConnectionStats connections, StatusZones statusZones) {
        this(connections, statusZones, new StreamStatusZones(), new ResolverZones());
    }

    /** Counters of their own, for a configuration compiled only to be checked. */
    static NodeCounters throwaway() {
        return new NodeCounters(new ConnectionStats(), new StatusZones());
    }

    /** The stream status zones' figures by name, as the metrics page shows them. */
    Map<String, StreamZoneFigures> streamZoneFigures() {
        Map<String, StreamZoneFigures> out = new LinkedHashMap<>();
        for (String name : streamZones.names()) {
            streamZones.report(name).ifPresent(r -> out.put(name, new StreamZoneFigures(r.processing(),
                    r.connections(), r.sessions().success(), r.sessions().clientError(), r.sessions().serverError(),
                    r.discarded(), r.received(), r.sent(), r.ssl())));
        }
        return out;
    }
}
