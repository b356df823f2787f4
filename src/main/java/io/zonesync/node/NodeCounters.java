package io.zonesync.node;

import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.net.ConnectionStats;
import io.zonesync.stream.statuszone.StreamStatusZones;

/**
 * What the node counts for its reports and keeps across reloads: its connections and requests
 * ({@code stub_status}) and its status zones, http's and stream's.
 */
record NodeCounters(ConnectionStats connections, StatusZones statusZones, StreamStatusZones streamZones) {

    NodeCounters(ConnectionStats connections, StatusZones statusZones) {
        this(connections, statusZones, new StreamStatusZones());
    }

    /** Counters of their own, for a configuration compiled only to be checked. */
    static NodeCounters throwaway() {
        return new NodeCounters(new ConnectionStats(), new StatusZones());
    }
}
