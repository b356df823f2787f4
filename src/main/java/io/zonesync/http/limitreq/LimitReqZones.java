package io.zonesync.http.limitreq;

import io.zonesync.config.ConfigException;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's limit_req zones, which outlive configurations as nginx's shared memory does: a reload
 * keeps a zone of the same name and size with its buckets and counters (a new rate applies to them),
 * refuses a new key for it, and starts a zone whose size changed afresh.
 */
public final class LimitReqZones {
    private static final Logger LOG = LoggerFactory.getLogger(LimitReqZones.class);

    /** The zones one configuration declares, not yet in use. */
    public record Prepared(Map<String, LimitReqZone> zones, Map<String, LimitReqZoneConf> confs) {
        public static final Prepared EMPTY = new Prepared(Map.of(), Map.of());
    }

    private final MonotonicClock clock;
    private final StampSource stamps;
    private final Clock wall;
    private final Map<String, LimitReqZone> byName = new HashMap<>();
    private final Map<LimitReqZone, LimitReqReplica> replicas = new HashMap<>();

    /** @param wall the clock the node's stamps follow (records' time in flight is read against it) */
    public LimitReqZones(MonotonicClock clock, StampSource stamps, Clock wall) {
        this.clock = clock;
        this.stamps = stamps;
        this.wall = wall;
    }

    /** Existing zones where name, size and key are unchanged, new ones otherwise; changes nothing. */
    public synchronized Prepared prepare(List<LimitReqZoneConf> confs) throws ConfigException {
        Map<String, LimitReqZone> zones = new LinkedHashMap<>();
        Map<String, LimitReqZoneConf> byConf = new LinkedHashMap<>();
        for (LimitReqZoneConf c : confs) {
            LimitReqZone old = byName.get(c.name());
            LimitReqZone z;
            if (old != null && old.sizeBytes() == c.sizeBytes()) {
                if (!old.keySource().equals(c.key())) {
                    throw ConfigException.at(c.where(), "limit_req \"%s\" uses the \"%s\" key while previously it"
                            + " used the \"%s\" key", c.name(), c.key(), old.keySource());
                }
                z = old;
            } else {
                if (old != null) {
                    LOG.warn("limit_req_zone \"{}\" changed size from {} to {} bytes: its states start afresh",
                            c.name(), old.sizeBytes(), c.sizeBytes());
                }
                z = new LimitReqZone(c.name(), c.sizeBytes(), c.key(), c.rateMilli(), clock);
            }
            zones.put(c.name(), z);
            byConf.put(c.name(), c);
        }
        return new Prepared(Map.copyOf(zones), Map.copyOf(byConf));
    }

    /** Makes a prepared set the node's zones: rates of kept zones follow the new configuration. */
    public synchronized void commit(Prepared p) {
        for (Map.Entry<String, LimitReqZone> e : p.zones().entrySet()) {
            e.getValue().setRate(p.confs().get(e.getKey()).rateMilli());
        }
        byName.clear();
        byName.putAll(p.zones());
        replicas.keySet().retainAll(p.zones().values());
    }

    /** The replicas of the zones marked {@code sync}, the same object for a zone across reloads. */
    public synchronized List<ReplicatedZone<?>> replicated(Prepared p) {
        List<ReplicatedZone<?>> out = new ArrayList<>();
        for (Map.Entry<String, LimitReqZone> e : p.zones().entrySet()) {
            if (p.confs().get(e.getKey()).sync()) {
                out.add(replicas.computeIfAbsent(e.getValue(), z -> new LimitReqReplica(z, stamps, wall)));
            }
        }
        return out;
    }
}
