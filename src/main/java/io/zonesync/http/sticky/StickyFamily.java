package io.zonesync.http.sticky;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zones of {@code sticky learn} as a zone family: a reload keeps a zone whose {@code sync}
 * flag is unchanged, with its sessions (a new size or timeout waits for a restart); a zone stays
 * with the upstream it was first used in.
 */
public final class StickyFamily implements ZoneFamily<StickySpec.Learn, SessionZone> {
    public static final Key<SessionZone> KEY = new Key<>("sticky learn");
    private static final Logger LOG = LoggerFactory.getLogger(StickyFamily.class);

    private final Clock clock;
    private final StampSource stamps;

    public StickyFamily(Clock clock, StampSource stamps) {
        this.clock = clock;
        this.stamps = stamps;
    }

    @Override
    public Key<SessionZone> key() {
        return KEY;
    }

    /** The {@code sticky learn} lines of the upstream blocks, in the order written. */
    @Override
    public List<StickySpec.Learn> declare(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        List<StickySpec.Learn> out = new ArrayList<>();
        if (http == null || !http.hasBlock()) {
            return out;
        }
        for (UpstreamSpec u : UpstreamSpec.parseAll(http.block(), config.prefix()).values()) {
            if (u.sticky() != null && StickySpec.parse(u.sticky(), u.name()) instanceof StickySpec.Learn l) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public String zoneName(StickySpec.Learn declared) {
        return declared.zone();
    }

    @Override
    public SourceLocation where(StickySpec.Learn declared) {
        return declared.directive().where();
    }

    @Override
    public boolean synced(StickySpec.Learn declared) {
        return declared.sync();
    }

    @Override
    public SessionZone zoneFor(StickySpec.Learn l, SessionZone kept) throws ConfigException {
        if (kept != null && !kept.upstream().equals(l.upstream())) {
            throw l.directive().error("sticky zone \"%s\" is used in upstream \"%s\" while previously it was used"
                    + " in upstream \"%s\"", l.zone(), l.upstream(), kept.upstream());
        }
        if (kept != null && kept.sync() == l.sync()) {
            if (kept.sizeBytes() != l.sizeBytes() || kept.timeoutMs() != l.timeoutMs()) {
                LOG.warn("sticky zone \"{}\": a new size or timeout applies after a restart; the zone keeps its"
                        + " sessions with the old settings until then", l.zone());
            }
            return kept;
        }
        return new SessionZone(l.zone(), l.upstream(), l.sizeBytes(), l.timeoutMs(), l.sync(), clock, stamps);
    }

    @Override
    public ReplicatedZone<?> replicaOf(SessionZone zone) {
        return new StickyReplica(zone);
    }

    @Override
    public void expire(SessionZone zone) {
        zone.expire();
    }
}
