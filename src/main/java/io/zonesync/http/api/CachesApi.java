package io.zonesync.http.api;

import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.http.proxycache.CacheStats;
import io.zonesync.http.proxycache.CacheStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /N/http/caches/} and {@code /N/http/caches/{zone}}: each proxy cache's size, max_size
 * (absent when not configured), cold (its loader still reading the directory) and, per cache
 * status, the responses and body bytes answered (and for miss, expired and bypass those written
 * into the cache); {@code ?fields=} keeps the fields named (empty: cache names only); DELETE of a
 * cache resets its figures, not the cache. An unknown cache is 404 {@code CacheNotFound}.
 */
final class CachesApi {
    private CachesApi() {
    }

    private static final ZoneCollection<CacheReports.Report> CACHES = new ZoneCollection<>(CachesApi::fields,
            cache -> cache.stats().reset(), "CacheNotFound", name -> "cache \"" + name + "\" not found");

    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            Map<String, CacheReports.Report> caches) throws ApiError {
        return CACHES.handle(request, path, 2, query, caches);
    }

    private static Map<String, Object> fields(CacheReports.Report cache) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", cache.size());
        if (cache.maxSize() > 0) {
            m.put("max_size", cache.maxSize());
        }
        m.put("cold", cache.cold());
        CacheStats s = cache.stats();
        for (CacheStatus status : CacheStats.REPORTED) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("responses", s.responses(status));
            o.put("bytes", s.bytes(status));
            if (wrote(status)) {
                o.put("responses_written", s.responsesWritten(status));
                o.put("bytes_written", s.bytesWritten(status));
            }
            m.put(status.name().toLowerCase(Locale.ROOT), o);
        }
        return m;
    }

    /** Whether a status's responses came from upstream, and so may have been written into the cache. */
    static boolean wrote(CacheStatus status) {
        return status == CacheStatus.MISS || status == CacheStatus.EXPIRED || status == CacheStatus.BYPASS;
    }
}
