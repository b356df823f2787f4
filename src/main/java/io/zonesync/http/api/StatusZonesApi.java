package io.zonesync.http.api;

import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.statuszone.ZoneCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /N/http/server_zones[/name]} and {@code /N/http/location_zones[/name]}: the status zones'
 * figures, read from the {@link StatusZones} the metrics page reads, shaped as NGINX Plus's
 * NginxHTTPServerZone (with {@code ssl}, its servers' TLS handshakes, from version 8) and
 * NginxHTTPLocationZone. GET of every zone or one; DELETE of one resets its figures. The same for
 * {@code /N/stream/server_zones[/name]}, whose zones the node hands over already shaped (the stream
 * modules are the node's to read).
 */
final class StatusZonesApi {
    private StatusZonesApi() {
    }

    /** {@code path} is {@code [http, server_zones|location_zones, (name)]}. */
    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query, StatusZones zones,
            int version) throws ApiError {
        boolean servers = path.get(1).equals("server_zones");
        if (path.size() == 2) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw ApiError.methodNotSupported();
            }
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : servers ? zones.serverZoneNames() : zones.locationZoneNames()) {
                report(zones, servers, name).ifPresent(r -> all.put(name, fields(body(r, servers, version), query)));
            }
            return ApiHandler.okJson(all);
        }
        if (path.size() > 3) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(2);
        Optional<ZoneCounters.Report> report = report(zones, servers, name);
        if (report.isEmpty()) {
            throw notFound(servers);
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(body(report.get(), servers, version), query));
            }
            case "DELETE" -> {
                if (!(servers ? zones.resetServerZone(name) : zones.resetLocationZone(name))) {
                    throw notFound(servers);
                }
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** {@code /N/stream/server_zones[/name]}: {@code path} is {@code [stream, server_zones, (name)]}. */
    static ApiResponse stream(ApiRequest request, List<String> path, Map<String, String> query, ApiState state,
            Map<String, Map<String, Object>> zones, int version) throws ApiError {
        if (path.size() == 2) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw ApiError.methodNotSupported();
            }
            Map<String, Object> all = new LinkedHashMap<>();
            zones.forEach((name, z) -> all.put(name, fields(streamZone(z, version), query)));
            return ApiHandler.okJson(all);
        }
        if (path.size() > 3) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(2);
        Map<String, Object> zone = zones.get(name);
        if (zone == null) {
            throw notFound(true);
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(streamZone(zone, version), query));
            }
            case "DELETE" -> {
                if (!state.resetStreamServerZone(name)) {
                    throw notFound(true);
                }
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** A stream zone as the node shaped it, without {@code ssl} before version 8. */
    private static Map<String, Object> streamZone(Map<String, Object> zone, int version) {
        Map<String, Object> out = new LinkedHashMap<>(zone);
        if (version < SslObject.DETAILED_SINCE) {
            out.remove("ssl");
        }
        return out;
    }

    private static Optional<ZoneCounters.Report> report(StatusZones zones, boolean servers, String name) {
        return servers ? zones.serverZone(name) : zones.locationZone(name);
    }

    private static ApiError notFound(boolean servers) {
        return servers ? new ApiError(404, "ServerZoneNotFound", "server zone not found")
                : new ApiError(404, "LocationZoneNotFound", "location zone not found");
    }

    private static Map<String, Object> body(ZoneCounters.Report r, boolean server, int version) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (server) {
            out.put("processing", r.processing());
        }
        out.put("requests", r.requests());
        ZoneCounters.Responses s = r.responses();
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("1xx", s.informational());
        responses.put("2xx", s.successful());
        responses.put("3xx", s.redirection());
        responses.put("4xx", s.clientError());
        responses.put("5xx", s.serverError());
        Map<String, Long> codes = new LinkedHashMap<>();
        new TreeMap<>(s.codes()).forEach((code, n) -> codes.put(Integer.toString(code), n));
        responses.put("codes", codes);
        responses.put("total", s.total());
        out.put("responses", responses);
        out.put("discarded", r.discarded());
        out.put("received", r.received());
        out.put("sent", r.sent());
        if (server && version >= SslObject.DETAILED_SINCE) {
            out.put("ssl", SslObject.of(r.ssl(), version, false));
        }
        return out;
    }

    /** {@code fields=a,b} keeps those fields; present and empty, none (names only). */
    private static Map<String, Object> fields(Map<String, Object> body, Map<String, String> query) {
        String fields = query.get("fields");
        return ApiHandler.keepFields(body, fields);
    }
}
