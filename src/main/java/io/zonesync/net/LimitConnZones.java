package io.zonesync.net;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One configuration's {@code limit_conn_zone}s, http's or stream's, by name in the order declared,
 * and how the next configuration's are compiled from them ({@link #next}): a zone with the same
 * name, key and size is the same zone, with its places and its counts, as nginx's shared memory
 * is. The API and the metrics page read the table of the configuration in force, so a reload that
 * fails leaves them showing the zones that serve. Immutable; its zones are thread-safe.
 */
public final class LimitConnZones {
    /** No zones: what a node has before its first configuration. */
    public static final LimitConnZones NONE = new LimitConnZones(Map.of());

    private final Map<String, LimitConnZone> zones;

    public LimitConnZones(Map<String, LimitConnZone> zones) {
        this.zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
    }

    /** The zone a next configuration declares: this one's if it has the same key and size, else a new one. */
    public LimitConnZone keep(String name, String key, long size) {
        LimitConnZone old = zones.get(name);
        return old != null && old.sameAs(key, size) ? old : new LimitConnZone(name, key, size);
    }

    /** Each zone's counts, by name, in the configuration's order. */
    public Map<String, LimitConnCounts> counts() {
        Map<String, LimitConnCounts> out = new LinkedHashMap<>();
        zones.forEach((name, zone) -> out.put(name, zone.counts()));
        return out;
    }

    /** The compiling of the next configuration's zones, from these. */
    public Compiling next() {
        return new Compiling(this);
    }

    /** One {@code limit_conn} of a level: its zone and number of places. */
    public record Limit(LimitConnZone zone, int number) {
    }

    /** A configuration's {@code limit_conn_zone} and {@code limit_conn} lines, read with nginx's errors. */
    public static final class Compiling {
        private final LimitConnZones inForce;
        private final Map<String, LimitConnZone> zones = new LinkedHashMap<>();
        private final Map<String, Directive> declared = new HashMap<>();

        private Compiling(LimitConnZones inForce) {
            this.inForce = inForce;
        }

        /** A {@code limit_conn_zone key zone=name:size} line: its zone, kept from the configuration in force if it may be. */
        public LimitConnZone declare(Directive d) throws ConfigException {
            Values.ZoneSpec spec = Values.limitConnZone(d, d.arg(1), LimitConnZone.MIN_SIZE);
            Directive before = declared.putIfAbsent(spec.name(), d);
            if (before != null) {
                throw d.error("%s \"%s\" is already bound to key \"%s\"", d.name(), spec.name(), before.arg(0));
            }
            LimitConnZone zone = inForce.keep(spec.name(), d.arg(0), spec.sizeBytes());
            zones.put(spec.name(), zone);
            return zone;
        }

        /** A {@code limit_conn zone number} line of a level whose zones so far are {@code seen}. */
        public Limit limit(Directive d, Set<String> seen) throws ConfigException {
            LimitConnZone zone = zones.get(d.arg(0));
            if (zone == null) {
                throw d.error("zero size shared memory zone \"%s\"", d.arg(0));
            }
            long n = Values.parseDigits(d.arg(1));
            if (n <= 0 || n > 65535) {
                throw d.error("invalid number of connections \"%s\"", d.arg(1));
            }
            if (!seen.add(zone.name())) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            return new Limit(zone, (int) n);
        }

        /** The zones declared so far. */
        public LimitConnZones zones() {
            return new LimitConnZones(zones);
        }
    }
}
