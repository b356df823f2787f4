package io.zonesync.http.limitconn;

import io.zonesync.net.LimitConnCounts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's http {@code limit_conn_zone}s, kept across reloads: a zone of the next configuration
 * with the same name, key and size is the same zone, with its places and its counts, as nginx's
 * shared memory is. The API and the metrics page read the counts of the zones last compiled.
 * Thread-safe.
 */
public final class LimitConnZones {
    private volatile Map<String, LimitConnZone> zones = Map.of();

    /** The zone a configuration declares: the one kept if it has the same key and size, else a new one. */
    LimitConnZone keep(String name, String key, long size) {
        LimitConnZone old = zones.get(name);
        return old != null && old.sameAs(key, size) ? old : new LimitConnZone(name, key, size);
    }

    /** The zones of the configuration just compiled; those it dropped start again if they come back. */
    void replace(Map<String, LimitConnZone> compiled) {
        zones = Collections.unmodifiableMap(new LinkedHashMap<>(compiled));
    }

    /** Each zone's counts, by name, in the configuration's order. */
    public Map<String, LimitConnCounts> counts() {
        Map<String, LimitConnCounts> out = new LinkedHashMap<>();
        zones.forEach((name, zone) -> out.put(name, zone.counts()));
        return out;
    }
}
