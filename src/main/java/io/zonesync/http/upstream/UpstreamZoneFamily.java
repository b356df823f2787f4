package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code zone} of upstream blocks as a zone family: a reload keeps a zone that keeps its name,
 * with each upstream's peers and their counters, and the committed configuration's groups take
 * them over; an upstream or zone no longer configured stops its DNS lookups. Several upstreams may
 * share a zone, as in nginx. A zone with {@code sync} ({@code zone NAME [size] sync}) shares its
 * servers' health check verdicts over zone_sync ({@link HealthVerdicts}); nothing else of it is
 * replicated. One family reads the http block's upstreams ({@link #KEY}), another the stream
 * block's ({@link #STREAM}).
 */
public final class UpstreamZoneFamily implements ZoneFamily<UpstreamZoneFamily.Declared, UpstreamZones> {
    public static final Key<UpstreamZones> KEY = new Key<>("upstream");
    /** The zones of the stream block's upstreams. */
    public static final Key<UpstreamZones> STREAM = new Key<>("upstream stream");

    private final Key<UpstreamZones> key;
    private final String block;
    private final StampSource stamps;
    private final ResolverZones resolvers;

    /** One zone name and the upstreams that use it, where it is first named, whether it is {@code sync}. */
    public record Declared(String zone, List<String> upstreams, SourceLocation where, boolean sync) {
    }

    /**
     * The zones of the http block's upstreams.
     *
     * @param stamps    the node's clock, which stamps the verdicts of {@code sync} zones
     * @param resolvers the node's resolver status zones, where {@code resolve} lookups are counted
     */
    public UpstreamZoneFamily(StampSource stamps, ResolverZones resolvers) {
        this(KEY, "http", stamps, resolvers);
    }

    private UpstreamZoneFamily(Key<UpstreamZones> key, String block, StampSource stamps, ResolverZones resolvers) {
        this.key = key;
        this.block = block;
        this.stamps = stamps;
        this.resolvers = resolvers;
    }

    /** The zones of the stream block's upstreams. */
    public static UpstreamZoneFamily stream(StampSource stamps, ResolverZones resolvers) {
        return new UpstreamZoneFamily(STREAM, "stream", stamps, resolvers);
    }

    @Override
    public Key<UpstreamZones> key() {
        return key;
    }

    @Override
    public List<Declared> declare(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first(block);
        Map<String, List<String>> upstreams = new LinkedHashMap<>();
        Map<String, Directive> first = new LinkedHashMap<>();
        if (http == null || !http.hasBlock()) {
            return List.of();
        }
        for (Directive u : http.block().all("upstream")) {
            Directive z = u.hasBlock() ? u.block().first("zone") : null;
            if (z != null) {
                if (sync(z) && u.arg(0).getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw z.error("\"sync\" requires an upstream name of at most 255 bytes");
                }
                upstreams.computeIfAbsent(z.arg(0), n -> new ArrayList<>()).add(u.arg(0));
                Directive earlier = first.putIfAbsent(z.arg(0), z);
                if (earlier != null && sync(earlier) != sync(z)) {
                    throw z.error("upstreams sharing zone \"%s\" disagree on \"sync\" (see %s)", z.arg(0),
                            earlier.where());
                }
            }
        }
        List<Declared> out = new ArrayList<>();
        upstreams.forEach((zone, names) -> out.add(new Declared(zone, List.copyOf(names), first.get(zone).where(),
                sync(first.get(zone)))));
        return out;
    }

    /** Whether a {@code zone} line ends with {@code sync} ({@link UpstreamSpec} checked its arguments). */
    static boolean sync(Directive zone) {
        return zone.argCount() > 1 && zone.arg(zone.argCount() - 1).equals("sync");
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
    public UpstreamZones zoneFor(Declared declared, UpstreamZones kept) {
        return kept != null ? kept : new UpstreamZones(declared.zone(), stamps, resolvers);
    }

    @Override
    public ReplicatedZone<?> replicaOf(UpstreamZones zone) {
        return zone.verdicts();
    }

    @Override
    public void commit(Declared declared, UpstreamZones zone, Commit context) {
        zone.commit(declared.upstreams(), declared.sync());
    }

    @Override
    public void release(UpstreamZones zone) {
        zone.release();
    }
}
