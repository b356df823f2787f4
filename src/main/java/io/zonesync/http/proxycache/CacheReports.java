package io.zonesync.http.proxycache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration's caches as the API and the metrics page show them: each keys zone's size on
 * disk (as the zone accounts its files), {@code max_size}, whether its loader is still reading the
 * directory ({@code cold}) and its {@link CacheStats}, which the next configuration takes over for
 * a zone of the same name ({@link #statsFor}), as nginx keeps its shared memory zone. The node shows
 * the reports of the configuration in force, so a reload that fails leaves them showing the caches
 * that serve. Immutable; its zones are thread-safe.
 */
public final class CacheReports {
    /** No caches: what a node has before its first configuration. */
    public static final CacheReports NONE = new CacheReports(Map.of());

    private final Map<String, CacheZone> zones;

    CacheReports(Map<String, CacheZone> zones) {
        this.zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
    }

    /** One cache's figures now; {@code maxSize} is 0 when {@code max_size} is not set. */
    public record Report(long size, long maxSize, boolean cold, CacheStats stats) {
    }

    /** The figures a zone of the next configuration counts into: this one's zone of that name, or new. */
    CacheStats statsFor(String name) {
        CacheZone kept = zones.get(name);
        return kept != null ? kept.stats() : new CacheStats();
    }

    /** Every cache's report, by zone name, in the configuration's order. */
    public Map<String, Report> all() {
        Map<String, Report> out = new LinkedHashMap<>();
        zones.forEach((name, z) -> out.put(name, new Report(z.totalBytes(), Math.max(0, z.path().maxSize()),
                z.loading(), z.stats())));
        return out;
    }
}
