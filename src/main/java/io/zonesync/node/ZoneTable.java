package io.zonesync.node;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's zones, which outlive configurations, for every {@link ZoneFamily}: a reload keeps a
 * zone its family lets it keep (with its contents and open files), makes new ones and releases
 * removed ones. Zone names are one namespace across families, as nginx's shared memory is.
 */
final class ZoneTable {

    /** The zones of one configuration, each with what declared it: prepared, then committed. */
    static final class Zones {
        private final Map<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> byFamily;

        private Zones(Map<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> byFamily) {
            this.byFamily = byFamily;
        }

        /** The zones of the family with this key, by name, in the order declared. */
        @SuppressWarnings("unchecked")
        <Z> Map<String, Z> of(ZoneFamily.Key<Z> key) {
            Map<String, Z> out = new LinkedHashMap<>();
            for (Map.Entry<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> f : byFamily.entrySet()) {
                if (f.getKey().key().equals(key)) {
                    f.getValue().forEach((name, d) -> out.put(name, (Z) d.zone()));
                }
            }
            return out;
        }

        /** What {@code -t} checks of the files committing these zones would open ({@link ZoneFamily#check}). */
        void check() throws ConfigException {
            for (Map<String, Declared<?, ?>> zones : byFamily.values()) {
                for (Declared<?, ?> d : zones.values()) {
                    d.check();
                }
            }
        }
    }

    /** One zone of a configuration: its family, its declaration, and the zone it gets. */
    private record Declared<D, Z>(ZoneFamily<D, Z> family, D declaration, Z zone) {
        boolean synced() {
            return family.synced(declaration);
        }

        void check() throws ConfigException {
            family.check(declaration);
        }

        /** Commits the zone; a failure (a state file damaged since {@code -t}) names the line declaring it. */
        void commit(ZoneFamily.Commit context) throws IOException {
            try {
                family.commit(declaration, zone, context);
            } catch (IOException e) {
                throw new IOException(e.getMessage() + " in " + family.where(declaration), e);
            }
        }
    }

    private final List<ZoneFamily<?, ?>> families;
    /** The committed zones: by family, by name. */
    private Map<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> current = Map.of();
    /** Each synced zone's replica, the same object across reloads. */
    private final Map<Object, ReplicatedZone<?>> replicas = new IdentityHashMap<>();

    ZoneTable(List<ZoneFamily<?, ?>> families) {
        this.families = List.copyOf(families);
    }

    /**
     * The zones a configuration declares: the kept ones where their family allows, new ones
     * otherwise. Nothing is opened or closed here, so a configuration that fails later leaves the
     * table as it was.
     */
    synchronized Zones prepare(ParsedConfig config) throws ConfigException {
        Map<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> out = new LinkedHashMap<>();
        Map<String, SourceLocation> names = new HashMap<>();
        for (ZoneFamily<?, ?> f : families) {
            out.put(f, prepare(f, config, names));
        }
        return new Zones(out);
    }

    private <D, Z> Map<String, Declared<?, ?>> prepare(ZoneFamily<D, Z> family, ParsedConfig config,
            Map<String, SourceLocation> names) throws ConfigException {
        Map<String, Declared<?, ?>> zones = new LinkedHashMap<>();
        Map<String, Declared<?, ?>> before = current.getOrDefault(family, Map.of());
        for (D d : family.declare(config)) {
            String name = family.zoneName(d);
            if (names.putIfAbsent(name, family.where(d)) != null) {
                throw ConfigException.at(family.where(d), "the shared memory zone \"%s\" is already declared for a"
                        + " different use", name);
            }
            @SuppressWarnings("unchecked")
            Declared<D, Z> kept = (Declared<D, Z>) before.get(name);
            zones.put(name, new Declared<>(family, d, family.zoneFor(d, kept == null ? null : kept.zone())));
        }
        return zones;
    }

    /**
     * Makes a prepared configuration's zones the table's: each is committed (a kept zone takes its
     * new settings, a new one opens its files), and zones no longer declared are released. If a
     * commit fails, the zones this commit opened are released and the table stays as it was.
     */
    synchronized void commit(Zones zones, ZoneFamily.Commit context) throws IOException {
        List<Declared<?, ?>> opened = new ArrayList<>();
        try {
            for (Map<String, Declared<?, ?>> family : zones.byFamily.values()) {
                for (Declared<?, ?> d : family.values()) {
                    boolean isNew = !holds(d);
                    d.commit(context);
                    if (isNew) {
                        opened.add(d);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Declared<?, ?> d : opened) {
                release(d);
            }
            throw e;
        }
        for (Map.Entry<ZoneFamily<?, ?>, Map<String, Declared<?, ?>>> f : current.entrySet()) {
            for (Declared<?, ?> d : f.getValue().values()) {
                if (!declares(zones, d)) {
                    release(d);
                    replicas.remove(d.zone());
                }
            }
        }
        current = zones.byFamily;
    }

    /** Whether the committed configuration has this zone (the same object). */
    private boolean holds(Declared<?, ?> d) {
        for (Declared<?, ?> c : current.getOrDefault(d.family(), Map.of()).values()) {
            if (c.zone() == d.zone()) {
                return true;
            }
        }
        return false;
    }

    private static boolean declares(Zones zones, Declared<?, ?> d) {
        for (Declared<?, ?> c : zones.byFamily.getOrDefault(d.family(), Map.of()).values()) {
            if (c.zone() == d.zone()) {
                return true;
            }
        }
        return false;
    }

    private static <D, Z> void release(Declared<D, Z> d) {
        d.family().release(d.zone());
    }

    /** The replicas of a configuration's {@code sync} zones, each the same object across reloads. */
    synchronized List<ReplicatedZone<?>> replicated(Zones zones) {
        List<ReplicatedZone<?>> out = new ArrayList<>();
        for (Map<String, Declared<?, ?>> family : zones.byFamily.values()) {
            for (Declared<?, ?> d : family.values()) {
                if (d.synced()) {
                    out.add(replicas.computeIfAbsent(d.zone(), z -> replicaOf(d)));
                }
            }
        }
        return out;
    }

    private static <D, Z> ReplicatedZone<?> replicaOf(Declared<D, Z> d) {
        return d.family().replicaOf(d.zone());
    }

    /** Removes what expired in every committed zone; called every second. */
    void expire() {
        List<Declared<?, ?>> all = new ArrayList<>();
        synchronized (this) {
            current.values().forEach(f -> all.addAll(f.values()));
        }
        for (Declared<?, ?> d : all) {
            expire(d);
        }
    }

    private static <D, Z> void expire(Declared<D, Z> d) {
        d.family().expire(d.zone());
    }

    /** Releases every zone (state files are saved and closed); at stop. */
    synchronized void close() {
        for (Map<String, Declared<?, ?>> family : current.values()) {
            for (Declared<?, ?> d : family.values()) {
                release(d);
            }
        }
    }
}
