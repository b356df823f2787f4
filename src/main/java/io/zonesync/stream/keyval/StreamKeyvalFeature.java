package io.zonesync.stream.keyval;

import io.zonesync.config.ConfigException;
import io.zonesync.keyval.KeyvalConfig;
import io.zonesync.keyval.KeyvalVariableConf;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stream side of keyval (the zones, their sync and their directives are
 * {@code io.zonesync.keyval}'s): {@code keyval $remote_addr $target zone=name} in the stream block
 * makes {@code $target} the value the zone holds for the evaluated key (exact, longest CIDR or
 * longest prefix match by the zone's type), or nothing.
 */
public final class StreamKeyvalFeature implements StreamFeature {
    private final Supplier<KeyvalConfig> config;
    private final Supplier<Map<String, KeyvalZone>> zones;
    /** The variables of the configuration being compiled, keys still to compile: one feature per configuration. */
    private final List<KeyedLookup> declared = new ArrayList<>();

    /** Both are read at compile time: the stream block's keyval configuration and its zones. */
    public StreamKeyvalFeature(Supplier<KeyvalConfig> config, Supplier<Map<String, KeyvalZone>> zones) {
        this.config = config;
        this.zones = zones;
    }

    /** A variable whose key is compiled once every variable is defined (the key may use a map). */
    private static final class KeyedLookup {
        final KeyvalVariableConf conf;
        StreamValue key;

        KeyedLookup(KeyvalVariableConf conf) {
            this.conf = conf;
        }
    }

    @Override
    public void defineVariables(StreamCompile stream) throws ConfigException {
        Map<String, KeyvalZone> byName = zones.get();
        for (KeyvalVariableConf v : config.get().variables()) {
            KeyvalZone zone = byName.get(v.zone());
            if (zone == null) {
                throw new ConfigException("unknown keyval_zone \"" + v.zone() + "\"", v.where());
            }
            if (stream.variables().isDefined(v.variable())) {
                throw new ConfigException("variable \"$" + v.variable() + "\" is already defined", v.where());
            }
            KeyedLookup lookup = new KeyedLookup(v);
            stream.variables().define(v.variable(), session -> {
                String k = lookup.key.evaluate(session);
                return k.isEmpty() ? null : zone.lookup(k);
            });
            declared.add(lookup);
        }
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (KeyedLookup l : declared) {
            l.key = StreamValue.compile(l.conf.keyExpression(), stream.variables(), l.conf.where());
        }
    }
}
