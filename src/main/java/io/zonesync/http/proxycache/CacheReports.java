package io.zonesync.http.proxycache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's caches as the API and the metrics page show them: each keys zone's size on disk (as the
 * zone accounts its files), {@code max_size}, whether its loader is still reading the directory
 * ({@code cold}) and its {@link CacheStats}, which a reload keeps for a zone of the same name as
 * nginx keeps its shared memory zone. Shows the zones last compiled. Thread-safe.
 */
public final class CacheReports {
    private volatile Map<String, CacheZone> zones = Map.of();
    private volatile Map<String, CacheStats> stats = Map.of();

    /** One cache's figures now; {@code maxSize} is 0 when {@code max_size} is not set. */
    public record Report(long size, long maxSize, boolean cold, CacheStats stats) {
    }

    /** The figures a zone of the configuration being compiled counts into: the same zone's before a reload, or new. */
    CacheStats statsFor(String name) {
        CacheStats kept = stats.get(name);
        return kept != null ? kept : new CacheStats();
    }

    /** The zones of the configuration just compiled; the figures of those it dropped are dropped. */
    void replace(Map<String, CacheZone> compiled) {
        Map<String, CacheStats> s = new LinkedHashMap<>();
        compiled.forEach((name, zone) -> s.put(name, zone.stats()));
        zones = Collections.unmodifiableMap(new LinkedHashMap<>(compiled));
        stats = Collections.unmodifiableMap(s);
    }

    /** Every cache's report, by zone name, in the configuration's order. */
    public Map<String, Report> all() {
        Map<String, Report> out = new LinkedHashMap<>();
        zones.forEach((name, z) -> out.put(name, new Report(z.totalBytes(), Math.max(0, z.path().maxSize()),
                z.loading(), z.stats())));
        return out;
    }
}
