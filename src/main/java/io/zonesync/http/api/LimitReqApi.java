package io.zonesync.http.api;

import io.zonesync.http.limitreq.LimitReqStats;
import io.zonesync.http.limitreq.LimitReqZone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /N/http/limit_reqs/} and {@code /N/http/limit_reqs/{zone}} (API version 6 and later): each
 * zone's passed, delayed, rejected, delayed_dry_run and rejected_dry_run counts; {@code ?fields=}
 * keeps the fields named (empty: zone names only, as empty objects); DELETE of a zone resets its
 * counts. An unknown zone is 404 {@code LimitReqNotFound}.
 */
final class LimitReqApi {
    private LimitReqApi() {
    }

    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            Map<String, LimitReqZone> zones) throws ApiError {
        if (path.size() == 2) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw request.writeEnabled() ? ApiError.methodNotSupported() : ApiError.methodDisabled();
            }
            Map<String, Object> all = new TreeMap<>();
            zones.forEach((name, zone) -> all.put(name, fields(zone.stats(), query.get("fields"))));
            return ApiHandler.okJson(all);
        }
        if (path.size() != 3) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(2);
        LimitReqZone zone = zones.get(name);
        if (zone == null) {
            throw new ApiError(404, "LimitReqNotFound", "limit_req \"" + name + "\" not found");
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(zone.stats(), query.get("fields")));
            }
            case "DELETE" -> {
                zone.resetStats();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    private static Map<String, Object> fields(LimitReqStats s, String wanted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", s.passed());
        m.put("delayed", s.delayed());
        m.put("rejected", s.rejected());
        m.put("delayed_dry_run", s.delayedDryRun());
        m.put("rejected_dry_run", s.rejectedDryRun());
        return ApiHandler.keepFields(m, wanted);
    }
}
