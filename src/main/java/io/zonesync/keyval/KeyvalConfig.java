package io.zonesync.keyval;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keyval directives of one {@code http} or {@code stream} block, checked and compiled into
 * immutable records. Errors read like nginx's and carry FILE:LINE.
 */
public record KeyvalConfig(List<KeyvalZoneConf> zones, List<KeyvalVariableConf> variables) {

    public static final KeyvalConfig EMPTY = new KeyvalConfig(List.of(), List.of());

    public KeyvalConfig {
        zones = List.copyOf(zones);
        variables = List.copyOf(variables);
    }

    /** The keyval configuration of a whole file: the {@code http} and the {@code stream} block. */
    public record Both(KeyvalConfig http, KeyvalConfig stream) {
    }

    public Optional<KeyvalZoneConf> zone(String name) {
        return zones.stream().filter(z -> z.name().equals(name)).findFirst();
    }

    /**
     * Compiles the {@code http} and {@code stream} blocks of a validated configuration; relative
     * state files resolve against its prefix. Zone names and state files must be unique across both,
     * since NGINX Plus zones share one namespace.
     */
    public static Both compile(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        Directive stream = config.root().first("stream");
        KeyvalConfig h = http == null || !http.hasBlock() ? EMPTY : compile(http.block(), config::resolve);
        KeyvalConfig s = stream == null || !stream.hasBlock() ? EMPTY : compile(stream.block(), config::resolve);
        Map<String, KeyvalZoneConf> byName = new HashMap<>();
        Map<Path, KeyvalZoneConf> byFile = new HashMap<>();
        for (KeyvalZoneConf z : h.zones) {
            byName.put(z.name(), z);
            if (z.stateFile() != null) {
                byFile.put(z.stateFile(), z);
            }
        }
        for (KeyvalZoneConf z : s.zones) {
            KeyvalZoneConf other = byName.get(z.name());
            if (other != null) {
                throw ConfigException.at(z.where(), "the shared memory zone \"%s\" is already declared for a different "
                        + "use (keyval_zone in http at %s)", z.name(), other.where());
            }
            checkStateFileUnused(z, z.stateFile() == null ? null : byFile.get(z.stateFile()));
        }
        return new Both(h, s);
    }

    /** Compiles the keyval directives standing directly in {@code block}; {@code resolve} makes paths absolute. */
    public static KeyvalConfig compile(Block block, Function<String, Path> resolve) throws ConfigException {
        Map<String, KeyvalZoneConf> zones = new LinkedHashMap<>();
        Map<Path, KeyvalZoneConf> stateFiles = new HashMap<>();
        for (Directive d : block.all(KeyvalModule.KEYVAL_ZONE)) {
            KeyvalZoneConf z = zone(d, resolve);
            KeyvalZoneConf earlier = zones.get(z.name());
            if (earlier != null) {
                if (earlier.sizeBytes() != z.sizeBytes()) {
                    throw d.error("the size %d of shared memory zone \"%s\" conflicts with already declared size %d",
                            z.sizeBytes(), z.name(), earlier.sizeBytes());
                }
                if (earlier.type() != z.type()) {
                    throw d.error("the type=%s of keyval zone \"%s\" conflicts with already declared type=%s",
                            z.type().configName(), z.name(), earlier.type().configName());
                }
                throw d.error("duplicate zone \"%s\", already declared at %s", z.name(), earlier.where());
            }
            if (z.stateFile() != null) {
                checkStateFileUnused(z, stateFiles.get(z.stateFile()));
                stateFiles.put(z.stateFile(), z);
            }
            zones.put(z.name(), z);
        }
        List<KeyvalVariableConf> variables = new ArrayList<>();
        Map<String, KeyvalVariableConf> byVariable = new HashMap<>();
        for (Directive d : block.all(KeyvalModule.KEYVAL)) {
            KeyvalVariableConf v = variable(d);
            if (!zones.containsKey(v.zone())) {
                throw d.error("unknown keyval zone \"%s\" in \"keyval\" directive, no \"keyval_zone zone=%s:size\" "
                        + "is declared here", v.zone(), v.zone());
            }
            KeyvalVariableConf earlier = byVariable.put(v.variable(), v);
            if (earlier != null) {
                throw d.error("the duplicate \"%s\" variable, already defined at %s", v.variable(), earlier.where());
            }
            variables.add(v);
        }
        return new KeyvalConfig(List.copyOf(zones.values()), variables);
    }

    private static void checkStateFileUnused(KeyvalZoneConf z, KeyvalZoneConf user) throws ConfigException {
        if (user != null) {
            throw ConfigException.at(z.where(), "state file \"%s\" of keyval zone \"%s\" is already used by zone "
                    + "\"%s\" at %s", z.stateFile(), z.name(), user.name(), user.where());
        }
    }

    private static KeyvalZoneConf zone(Directive d, Function<String, Path> resolve) throws ConfigException {
        Values.ZoneSpec spec = null;
        Path state = null;
        long timeout = 0;
        KeyvalType type = KeyvalType.STRING;
        boolean sync = false;
        List<String> seen = new ArrayList<>();
        for (String arg : d.args()) {
            int eq = arg.indexOf('=');
            String param = eq < 0 ? arg : arg.substring(0, eq);
            if (seen.contains(param)) {
                throw d.error("duplicate parameter \"%s\" in \"%s\" directive", param, d.name());
            }
            seen.add(param);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            switch (eq < 0 ? arg : param + "=") {
                case "zone=" -> spec = zoneSize(d, value);
                case "state=" -> {
                    if (value.isEmpty()) {
                        throw d.error("invalid state file \"\" in \"%s\" directive", d.name());
                    }
                    state = resolve.apply(value);
                }
                case "timeout=" -> timeout = timeout(d, value);
                case "type=" -> {
                    type = KeyvalType.fromConfigName(value);
                    if (type == null) {
                        throw d.error("invalid type \"%s\" in \"%s\" directive, it must be \"string\", \"ip\" or "
                                + "\"prefix\"", value, d.name());
                    }
                }
                case "sync" -> sync = true;
                default -> throw d.error("invalid parameter \"%s\" in \"%s\" directive", arg, d.name());
            }
        }
        if (spec == null) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        return new KeyvalZoneConf(spec.name(), spec.sizeBytes(), type, timeout, state, sync, d.where());
    }

    private static Values.ZoneSpec zoneSize(Directive d, String value) throws ConfigException {
        Values.ZoneSpec spec = Values.zone(d, value);
        if (spec.sizeBytes() < KeyvalZone.MIN_SIZE) {
            throw d.error("zone \"%s\" is too small: %d bytes, the minimum is %d bytes (32k)", spec.name(),
                    spec.sizeBytes(), KeyvalZone.MIN_SIZE);
        }
        return spec;
    }

    private static long timeout(Directive d, String value) throws ConfigException {
        long ms;
        try {
            ms = Values.timeMs(d, value);
        } catch (ConfigException e) {
            ms = -1;
        }
        if (ms <= 0) {
            throw d.error("invalid timeout \"%s\" in \"%s\" directive, it must be a positive time such as 30s or 1h",
                    value, d.name());
        }
        return ms;
    }

    private static KeyvalVariableConf variable(Directive d) throws ConfigException {
        String key = d.arg(0);
        String var = d.arg(1);
        if (var.length() < 2 || var.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\" in \"%s\" directive, it must start with \"$\"", var, d.name());
        }
        String zone = Values.param(d.arg(2), "zone");
        if (zone == null) {
            throw d.error("invalid parameter \"%s\" in \"%s\" directive, it must be \"zone=name\"", d.arg(2), d.name());
        }
        if (zone.isEmpty()) {
            throw d.error("invalid zone name \"\" in \"%s\" directive", d.name());
        }
        return new KeyvalVariableConf(key, var.substring(1), zone, d.where());
    }
}
