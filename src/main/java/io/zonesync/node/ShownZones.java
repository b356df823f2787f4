package io.zonesync.node;

import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.net.LimitConnZones;
import io.zonesync.http.statuszone.StatusZones;
import java.util.Set;

/**
 * What the API and the metrics page show of one configuration's zones that are kept by name
 * outside the {@link ZoneTable}: its limit_conn zones (http's and stream's), its caches, and the
 * names of its resolver and status zones. The node shows those of the configuration in force, and
 * the next configuration compiles from them, so a reload that fails after compiling leaves what is
 * shown as it was, as nginx keeps the old configuration whole.
 */
record ShownZones(LimitConnZones httpLimitConns, LimitConnZones streamLimitConns, CacheReports caches,
        Set<String> resolvers, StatusZones.Named statusZones, Set<String> streamStatusZones) {

    /** Before the first configuration: nothing. */
    static final ShownZones NONE = new ShownZones(LimitConnZones.NONE, LimitConnZones.NONE, CacheReports.NONE,
            Set.of(), StatusZones.Named.NONE, Set.of());
}
