package io.zonesync.net.dns;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Block;
import io.zonesync.net.ResolverConf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's resolver status zones by name ({@code resolver ... status_zone=NAME} in http and
 * stream): one {@link ResolverStats} per name, shared by every {@code resolver} that names it (as
 * NGINX Plus shares a zone by name), counting the queries of every lookup made with those settings.
 * The configuration in force declares which names exist ({@link #declare}); a name that stays
 * keeps its counts across reloads, one that goes is forgotten. Safe from any thread.
 */
public final class ResolverZones {
    private final Map<String, ResolverStats> zones = new ConcurrentHashMap<>();
    private volatile Set<String> declared = Set.of();

    /**
     * The counts a lookup with {@code conf} adds to, or null when its {@code resolver} names no
     * status zone.
     */
    public ResolverStats of(ResolverConf conf) {
        return conf.statusZone() == null ? null : zones.computeIfAbsent(conf.statusZone(), n -> new ResolverStats());
    }

    /** The configuration now in force names these zones: the others are forgotten. */
    public void declare(Collection<String> names) {
        Set<String> now = new TreeSet<>(names);
        for (String n : now) {
            zones.computeIfAbsent(n, k -> new ResolverStats());
        }
        zones.keySet().retainAll(now);
        declared = Set.copyOf(now);
    }

    /** The declared zones' names, in order. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(declared));
    }

    /** A declared zone's counts. */
    public Optional<ResolverStats> zone(String name) {
        return declared.contains(name) ? Optional.ofNullable(zones.get(name)) : Optional.empty();
    }

    /**
     * The status zones every {@code resolver} of the http and stream blocks of a configuration
     * ({@code root}, its main context) names (in any server,
     * location or upstream), each {@code resolver} checked as {@link ResolverConf#parse} checks it,
     * so that a bad one fails the configuration with its FILE:LINE even where nothing looks names up.
     */
    public static Set<String> declaredBy(Block root) throws ConfigException {
        Set<String> out = new TreeSet<>();
        List<Directive> resolvers = new ArrayList<>();
        for (String block : List.of("http", "stream")) {
            for (Directive d : root.all(block)) {
                collect(d, resolvers);
            }
        }
        for (Directive r : resolvers) {
            String zone = ResolverConf.parse(r, null).statusZone();
            if (zone != null) {
                out.add(zone);
            }
        }
        return out;
    }

    /** The {@code resolver} lines of a block and of the blocks in it that may hold one. */
    private static void collect(Directive parent, List<Directive> out) {
        if (!parent.hasBlock()) {
            return;
        }
        for (Directive d : parent.block().directives()) {
            if (d.name().equals("resolver")) {
                out.add(d);
            } else if (NESTING.contains(d.name())) {
                collect(d, out);
            }
        }
    }

    /** The blocks a {@code resolver} may be inside of (a map's or a geo's entries are not directives). */
    private static final Set<String> NESTING = Set.of("server", "location", "upstream", "if", "limit_except");
}
