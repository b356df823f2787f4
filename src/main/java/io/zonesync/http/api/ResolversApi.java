package io.zonesync.http.api;

import io.zonesync.net.dns.ResolverStats;
import io.zonesync.net.dns.ResolverZones;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query, ResolverZones zones)
            throws ApiError {
        if (path.size() == 1) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw request.writeEnabled() ? ApiError.methodNotSupported() : ApiError.methodDisabled();
            }
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : zones.names()) {
                zones.zone(name).ifPresent(z -> all.put(name, fields(z.figures(), query.get("fields"))));
            }
            return ApiHandler.okJson(all);
        }
        if (path.size() > 2) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(1);
        Optional<ResolverStats> zone = zones.zone(name);
        if (zone.isEmpty()) {
            throw new ApiError(404, "ResolverZoneNotFound", "resolver zone not found");
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(zone.get().figures(), query.get("fields")));
            }
            case "DELETE" -> {
                zone.get().reset();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    private static Map<String, Object> fields(ResolverStats.Figures f, String wanted) {
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
        return ApiHandler.keepFields(body, wanted);
    }
}
