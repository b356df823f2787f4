package io.zonesync.http.limitconn;

import io.zonesync.net.LimitConnCounts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration's http {@code limit_conn_zone}s, by name in the order declared. The next
 * configuration compiles its zones from those of the configuration in force ({@link #keep}): a zone
 * with the same name, key and size is the same zone, with its places and its counts, as nginx's
 * shared memory is. The API and the metrics page read the table of the configuration in force, so
 * a reload that fails leaves them showing the zones that serve. Immutable; its zones are thread-safe.
 */
public final class LimitConnZones {
    /** No zones: what a node has before its first configuration. */
    public static final LimitConnZones NONE = new LimitConnZones(Map.of());

    private final Map<String, LimitConnZone> zones;

    LimitConnZones(Map<String, LimitConnZone> zones) {
        this.zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
    }

    /** The zone a next configuration declares: this one's if it has the same key and size, else a new one. */
    LimitConnZone keep(String name, String key, long size) {
        LimitConnZone old = zones.get(name);
        return old != null && old.sameAs(key, size) ? old : new LimitConnZone(name, key, size);
    }

    /** Each zone's counts, by name, in the configuration's order. */
    public Map<String, LimitConnCounts> counts() {
        Map<String, LimitConnCounts> out = new LinkedHashMap<>();
        zones.forEach((name, zone) -> out.put(name, zone.counts()));
        return out;
    }
}
