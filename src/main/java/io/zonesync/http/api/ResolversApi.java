package io.zonesync.http.api;

import io.zonesync.net.dns.ResolverStats;
import io.zonesync.net.dns.ResolverZones;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /N/resolvers/} and {@code /N/resolvers/{zone}} (API version 5 and later): each resolver
 * status zone's {@code requests} and {@code responses}, read from the {@link ResolverZones} the
 * node's DNS client counts in (and the metrics page reads), shaped as NGINX Plus's
 * NginxResolverZone; {@code ?fields=} keeps {@code requests}, {@code responses} or both (empty:
 * zone names only, as empty objects). DELETE of a zone zeroes its counts. An unknown zone is 404
 * {@code ResolverZoneNotFound}.
 */
final class ResolversApi {
    private ResolversApi() {
    }

    /** {@code path} is {@code [resolvers, (zone)]}. */
    private static final ZoneCollection<ResolverStats> ZONES = new ZoneCollection<>(z -> fields(z.figures()),
            ResolverStats::reset, "ResolverZoneNotFound", name -> "resolver zone not found");

    /** {@code path} is {@code [resolvers, (zone)]}. */
    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query, ResolverZones zones)
            throws ApiError {
        Map<String, ResolverStats> declared = new LinkedHashMap<>();
        for (String name : zones.names()) {
            zones.zone(name).ifPresent(z -> declared.put(name, z));
        }
        return ZONES.handle(request, path, 1, query, declared);
    }

    private static Map<String, Object> fields(ResolverStats.Figures f) {
        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("name", f.name());
        requests.put("srv", f.srv());
        requests.put("addr", f.addr());
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("noerror", f.noerror());
        responses.put("formerr", f.formerr());
        responses.put("servfail", f.servfail());
        responses.put("nxdomain", f.nxdomain());
        responses.put("notimp", f.notimp());
        responses.put("refused", f.refused());
        responses.put("timedout", f.timedout());
        responses.put("unknown", f.unknown());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requests", requests);
        body.put("responses", responses);
        return body;
    }
}
