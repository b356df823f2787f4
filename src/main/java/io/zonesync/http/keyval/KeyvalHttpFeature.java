package io.zonesync.http.keyval;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.keyval.KeyvalConfig;
import io.zonesync.keyval.KeyvalVariableConf;
import io.zonesync.keyval.KeyvalZone;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The http side of keyval (the zones themselves are in {@code io.zonesync.keyval}, shared with
 * stream): defines the http {@code keyval} variables: {@code keyval $arg_text $text zone=one} makes
 * {@code $text} the value the zone holds for the evaluated key (exact, longest CIDR or longest
 * prefix match by the zone's type), or nothing.
 */
public final class KeyvalHttpFeature implements HttpFeature {
    private final Supplier<KeyvalConfig> config;
    private final Supplier<Map<String, KeyvalZone>> zones;

    /** Both are read at compile time: the configuration being compiled and its zones. */
    public KeyvalHttpFeature(Supplier<KeyvalConfig> config, Supplier<Map<String, KeyvalZone>> zones) {
        this.config = config;
        this.zones = zones;
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        Map<String, KeyvalZone> byName = zones.get();
        for (KeyvalVariableConf v : config.get().variables()) {
            KeyvalZone zone = byName.get(v.zone());
            if (zone == null) {
                throw new ConfigException("unknown keyval_zone \"" + v.zone() + "\"", v.where());
            }
            if (http.variables().isDefined(v.variable())) {
                throw new ConfigException("variable \"$" + v.variable() + "\" is already defined", v.where());
            }
            ComplexValue key = ComplexValue.compile(v.keyExpression(), http.variables(), v.where());
            http.variables().define(v.variable(), request -> {
                String k = key.evaluate(request);
                return k == null || k.isEmpty() ? null : zone.lookup(k);
            });
        }
    }
}
