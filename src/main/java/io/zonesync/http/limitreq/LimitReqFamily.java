package io.zonesync.http.limitreq;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code limit_req_zone}s as a zone family, kept as nginx keeps their shared memory: a reload
 * keeps a zone of the same name and size with its buckets and counters (a new rate applies to
 * them), refuses a new key for it, and starts a zone whose size changed afresh.
 */
public final class LimitReqFamily implements ZoneFamily<LimitReqZoneConf, LimitReqZone> {
    public static final Key<LimitReqZone> KEY = new Key<>("limit_req_zone");
    private static final Logger LOG = LoggerFactory.getLogger(LimitReqFamily.class);

    private final MonotonicClock clock;
    private final StampSource stamps;
    private final Clock wall;

    /** @param wall the clock the node's stamps follow (records' time in flight is read against it) */
    public LimitReqFamily(MonotonicClock clock, StampSource stamps, Clock wall) {
        this.clock = clock;
        this.stamps = stamps;
        this.wall = wall;
    }

    @Override
    public Key<LimitReqZone> key() {
        return KEY;
    }

    @Override
    public List<LimitReqZoneConf> declare(ParsedConfig config) throws ConfigException {
        return LimitReqZoneConf.compileAll(config);
    }

    @Override
    public String zoneName(LimitReqZoneConf declared) {
        return declared.name();
    }

    @Override
    public SourceLocation where(LimitReqZoneConf declared) {
        return declared.where();
    }

    @Override
    public boolean synced(LimitReqZoneConf declared) {
        return declared.sync();
    }

    @Override
    public LimitReqZone zoneFor(LimitReqZoneConf c, LimitReqZone kept) throws ConfigException {
        if (kept != null && kept.sizeBytes() == c.sizeBytes()) {
            if (!kept.keySource().equals(c.key())) {
                throw ConfigException.at(c.where(), "limit_req \"%s\" uses the \"%s\" key while previously it"
                        + " used the \"%s\" key", c.name(), c.key(), kept.keySource());
            }
            return kept;
        }
        if (kept != null) {
            LOG.warn("limit_req_zone \"{}\" changed size from {} to {} bytes: its states start afresh",
                    c.name(), kept.sizeBytes(), c.sizeBytes());
        }
        return new LimitReqZone(c.name(), c.sizeBytes(), c.key(), c.rateMilli(), clock);
    }

    @Override
    public ReplicatedZone<?> replicaOf(LimitReqZone zone) {
        return new LimitReqReplica(zone, stamps, wall);
    }

    /** A kept zone takes the new rate. */
    @Override
    public void commit(LimitReqZoneConf c, LimitReqZone zone, Commit context) {
        zone.setRate(c.rateMilli());
    }
}
