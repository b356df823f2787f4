package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code zone} of upstream blocks as a zone family: a reload keeps a zone that keeps its name,
 * with each upstream's peers and their counters, and the committed configuration's groups take
 * them over; an upstream or zone no longer configured stops its DNS lookups. Several upstreams may
 * share a zone, as in nginx. Upstream zones are not replicated. One family reads the http block's
 * upstreams ({@link #KEY}), another the stream block's ({@link #STREAM}).
 */
public final class UpstreamZoneFamily implements ZoneFamily<UpstreamZoneFamily.Declared, UpstreamZones> {
    public static final Key<UpstreamZones> KEY = new Key<>("upstream");
    /** The zones of the stream block's upstreams. */
    public static final Key<UpstreamZones> STREAM = new Key<>("upstream stream");

    private final Key<UpstreamZones> key;
    private final String block;

    /** The zones of the http block's upstreams. */
    public UpstreamZoneFamily() {
        this(KEY, "http");
    }

    private UpstreamZoneFamily(Key<UpstreamZones> key, String block) {
        this.key = key;
        this.block = block;
    }

    /** The zones of the stream block's upstreams. */
    public static UpstreamZoneFamily stream() {
        return new UpstreamZoneFamily(STREAM, "stream");
    }

    /** One zone name and the upstreams that use it, where it is first named. */
    public record Declared(String zone, List<String> upstreams, SourceLocation where) {
    }

    @Override
    public Key<UpstreamZones> key() {
        return key;
    }

    @Override
    public List<Declared> declare(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first(block);
        Map<String, List<String>> upstreams = new LinkedHashMap<>();
        Map<String, SourceLocation> first = new LinkedHashMap<>();
        if (http == null || !http.hasBlock()) {
            return List.of();
        }
        for (Directive u : http.block().all("upstream")) {
            Directive z = u.hasBlock() ? u.block().first("zone") : null;
            if (z != null) {
                upstreams.computeIfAbsent(z.arg(0), n -> new ArrayList<>()).add(u.arg(0));
                first.putIfAbsent(z.arg(0), z.where());
            }
        }
        List<Declared> out = new ArrayList<>();
        upstreams.forEach((zone, names) -> out.add(new Declared(zone, List.copyOf(names), first.get(zone))));
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
    public UpstreamZones zoneFor(Declared declared, UpstreamZones kept) {
        return kept != null ? kept : new UpstreamZones(declared.zone());
    }

    @Override
    public ReplicatedZone<?> replicaOf(UpstreamZones zone) {
        throw new UnsupportedOperationException("upstream zones are not replicated");
    }

    @Override
    public void commit(Declared declared, UpstreamZones zone, Commit context) {
        zone.commit(declared.upstreams());
    }

    @Override
    public void release(UpstreamZones zone) {
        zone.release();
    }
}
