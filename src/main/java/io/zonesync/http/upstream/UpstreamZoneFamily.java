package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code zone} of upstream blocks as a zone family: a reload keeps a zone that keeps its name
 * and upstream, with its peers and their counters, and the committed configuration's group takes
 * it over; a removed zone stops its DNS lookups. Upstream zones are not replicated.
 */
public final class UpstreamZoneFamily implements ZoneFamily<UpstreamZoneFamily.Declared, UpstreamZone> {
    public static final Key<UpstreamZone> KEY = new Key<>("upstream");

    /** One upstream's {@code zone} line. */
    public record Declared(String zone, String upstream, SourceLocation where) {
    }

    @Override
    public Key<UpstreamZone> key() {
        return KEY;
    }

    @Override
    public List<Declared> declare(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        List<Declared> out = new ArrayList<>();
        if (http == null || !http.hasBlock()) {
            return out;
        }
        for (Directive u : http.block().all("upstream")) {
            Directive z = u.hasBlock() ? u.block().first("zone") : null;
            if (z != null) {
                out.add(new Declared(z.arg(0), u.arg(0), z.where()));
            }
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
        return false;
    }

    @Override
    public UpstreamZone zoneFor(Declared declared, UpstreamZone kept) {
        return kept != null && kept.upstream().equals(declared.upstream()) ? kept
                : new UpstreamZone(declared.zone(), declared.upstream());
    }

    @Override
    public ReplicatedZone<?> replicaOf(UpstreamZone zone) {
        throw new UnsupportedOperationException("upstream zones are not replicated");
    }

    @Override
    public void commit(Declared declared, UpstreamZone zone, Commit context) {
        zone.commit();
    }

    @Override
    public void release(UpstreamZone zone) {
        zone.release();
    }
}
