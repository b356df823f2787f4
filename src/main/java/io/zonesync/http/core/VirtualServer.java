package io.zonesync.http.core;

import io.zonesync.config.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * One compiled {@code server} block. Immutable.
 *
 * @param names its server names, in order
 * @param serverConfig the settings used when no location matches, and whose {@code return} runs
 *        before location matching (nginx's server rewrite phase)
 * @param locations the location tree
 * @param namedLocations {@code @name} locations, for {@code error_page}
 */
public record VirtualServer(List<ServerName> names, LocationConfig serverConfig, LocationTree locations,
        Map<String, Location> namedLocations, SourceLocation where) {

    /** {@code $server_name}: the first name as written, "" when the server has none. */
    public String primaryName() {
        return names.isEmpty() ? "" : names.get(0).text();
    }
}
