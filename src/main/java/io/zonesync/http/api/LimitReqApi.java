package io.zonesync.http.api;

import io.zonesync.http.limitreq.LimitReqStats;
import io.zonesync.http.limitreq.LimitReqZone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /N/http/limit_reqs/} and {@code /N/http/limit_reqs/{zone}} (API version 6 and later): each
 * zone's passed, delayed, rejected, delayed_dry_run and rejected_dry_run counts; {@code ?fields=}
 * keeps the fields named (empty: zone names only, as empty objects); DELETE of a zone resets its
 * counts. An unknown zone is 404 {@code LimitReqNotFound}.
 */
final class LimitReqApi {
    private LimitReqApi() {
    }

    private static final ZoneCollection<LimitReqZone> ZONES = new ZoneCollection<>(z -> fields(z.stats()),
            LimitReqZone::resetStats, "LimitReqNotFound", name -> "limit_req \"" + name + "\" not found");

    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            Map<String, LimitReqZone> zones) throws ApiError {
        return ZONES.handle(request, path, 2, query, zones);
    }

    private static Map<String, Object> fields(LimitReqStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", s.passed());
        m.put("delayed", s.delayed());
        m.put("rejected", s.rejected());
        m.put("delayed_dry_run", s.delayedDryRun());
        m.put("rejected_dry_run", s.rejectedDryRun());
        return m;
    }
}
