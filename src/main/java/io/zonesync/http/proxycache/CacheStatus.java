package io.zonesync.http.proxycache;

import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.VariableRegistry;

/** The values of {@code $upstream_cache_status}, kept as a request attribute. */
public enum CacheStatus {
    MISS, BYPASS, EXPIRED, STALE, UPDATING, REVALIDATED, HIT;

    static final AttributeKey<CacheStatus> KEY = AttributeKey.named("upstream cache status");

    /** Defines {@code $upstream_cache_status}: not found when the request did not use a cache. */
    public static void defineVariables(VariableRegistry r) {
        r.define("upstream_cache_status", req -> {
            CacheStatus s = req.attribute(KEY);
            return s == null ? null : s.name();
        });
    }
}
