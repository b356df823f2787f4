package io.zonesync.http.api;

import io.zonesync.net.LimitConnCounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /N/http/limit_conns/[zone]} and {@code /N/stream/limit_conns/[zone]} (API version 6 and
 * later): each limit_conn zone's passed, rejected and rejected_dry_run counts; {@code ?fields=}
 * keeps the fields named (empty: zone names only, as empty objects); DELETE of a zone resets its
 * counts. An unknown zone is 404 {@code LimitConnNotFound}.
 */
final class LimitConnApi {
    private LimitConnApi() {
    }

    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            Map<String, LimitConnCounts> zones) throws ApiError {
        if (path.size() == 2) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw request.writeEnabled() ? ApiError.methodNotSupported() : ApiError.methodDisabled();
            }
            Map<String, Object> all = new TreeMap<>();
            zones.forEach((name, zone) -> all.put(name, fields(zone, query.get("fields"))));
            return ApiHandler.okJson(all);
        }
        if (path.size() != 3) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(2);
        LimitConnCounts zone = zones.get(name);
        if (zone == null) {
            throw new ApiError(404, "LimitConnNotFound", "limit_conn \"" + name + "\" not found");
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(zone, query.get("fields")));
            }
            case "DELETE" -> {
                zone.reset();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    private static Map<String, Object> fields(LimitConnCounts c, String wanted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", c.passedCount());
        m.put("rejected", c.rejectedCount());
        m.put("rejected_dry_run", c.rejectedDryRunCount());
        return ApiHandler.keepFields(m, wanted);
    }
}
