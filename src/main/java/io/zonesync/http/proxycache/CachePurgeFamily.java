package io.zonesync.http.proxycache;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys zones of {@code proxy_cache_path} as a zone family, for their purges: every keys zone
 * takes its name in the one namespace of zones (as nginx's shared memory does), and one with the
 * {@code sync} parameter shares its purges with the other nodes ({@link CachePurges}). A reload
 * keeps a zone whose {@code sync} flag is unchanged, with the purges it remembers; a new
 * {@code inactive} is how long the purges made from then are remembered, a new size how many.
 */
public final class CachePurgeFamily implements ZoneFamily<CachePurgeFamily.Declared, CachePurges> {
    public static final Key<CachePurges> KEY = new Key<>("proxy_cache_path");

    /**
     * One {@code proxy_cache_path}'s keys zone: its name, {@code sync}, {@code inactive}, how many keys
     * it holds (its size over {@link CacheZone#NODE_BYTES}) and where it is written.
     */
    public record Declared(String zone, boolean sync, long inactiveMs, int keys, SourceLocation where) {
    }

    private final Clock clock;
    private final StampSource stamps;

    public CachePurgeFamily(Clock clock, StampSource stamps) {
        this.clock = clock;
        this.stamps = stamps;
    }

    @Override
    public Key<CachePurges> key() {
        return KEY;
    }

    /** The {@code proxy_cache_path} lines of the http block, in the order written. */
    @Override
    public List<Declared> declare(ParsedConfig config) throws ConfigException {
        List<Declared> out = new ArrayList<>();
        Directive http = config.root().first("http");
        if (http == null || !http.hasBlock()) {
            return out;
        }
        Set<String> names = new HashSet<>();
        for (Directive d : http.block().all("proxy_cache_path")) {
            CachePath p = CachePath.parse(d, config.prefix());
            if (!names.add(p.zone())) {
                throw d.error("duplicate zone \"%s\"", p.zone());
            }
            long keys = Math.min(Integer.MAX_VALUE, p.zoneBytes() / CacheZone.NODE_BYTES);
            out.add(new Declared(p.zone(), CachePath.synced(d), p.inactiveMs(), (int) keys, d.where()));
        }
        return out;
    }

    @Override
    public String zoneName(Declared declared) {
        return declared.zone();
    }

    @Override
    public SourceLocation where(Declared declared) {
        return declared.where();
    }

    @Override
    public boolean synced(Declared declared) {
        return declared.sync();
    }

    @Override
    public CachePurges zoneFor(Declared declared, CachePurges kept) {
        if (kept != null && kept.sync() == declared.sync()) {
            return kept;
        }
        return new CachePurges(declared.zone(), declared.sync(), declared.inactiveMs(), declared.keys(), clock,
                stamps);
    }

    @Override
    public ReplicatedZone<?> replicaOf(CachePurges zone) {
        return new CachePurgeReplica(zone);
    }

    @Override
    public void commit(Declared declared, CachePurges zone, Commit context) {
        zone.limits(declared.inactiveMs(), declared.keys());
    }

    @Override
    public void release(CachePurges zone) {
        zone.close();
    }

    @Override
    public void expire(CachePurges zone) {
        zone.expire();
    }
}
