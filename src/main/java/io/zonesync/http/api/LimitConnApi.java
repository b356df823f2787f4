package io.zonesync.http.api;

import io.zonesync.net.LimitConnCounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /N/http/limit_conns/[zone]} and {@code /N/stream/limit_conns/[zone]} (API version 6 and
 * later): each limit_conn zone's passed, rejected and rejected_dry_run counts; {@code ?fields=}
 * keeps the fields named (empty: zone names only, as empty objects); DELETE of a zone resets its
 * counts. An unknown zone is 404 {@code LimitConnNotFound}.
 */
final class LimitConnApi {
    private LimitConnApi() {
    }

    private static final ZoneCollection<LimitConnCounts> ZONES = new ZoneCollection<>(LimitConnApi::fields,
            LimitConnCounts::reset, "LimitConnNotFound", name -> "limit_conn \"" + name + "\" not found");

    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            Map<String, LimitConnCounts> zones) throws ApiError {
        return ZONES.handle(request, path, 2, query, zones);
    }

    private static Map<String, Object> fields(LimitConnCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", c.passedCount());
        m.put("rejected", c.rejectedCount());
        m.put("rejected_dry_run", c.rejectedDryRunCount());
        return m;
    }
}
