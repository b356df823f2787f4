package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.http.sticky.StickySpec;
import io.zonesync.http.upstream.UpstreamSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream blocks of a configuration and their {@code sticky} lines, checked (a learn zone
 * serves one upstream) before the http block compiles.
 */
public record ProxyConfig(Map<String, UpstreamSpec> upstreams, Map<String, StickySpec> sticky) {

    public static ProxyConfig parse(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        if (http == null) {
            return new ProxyConfig(Map.of(), Map.of());
        }
        Map<String, UpstreamSpec> upstreams = UpstreamSpec.parseAll(http.block(), config.prefix());
        Map<String, StickySpec> sticky = new LinkedHashMap<>();
        Map<String, String> zoneOwners = new HashMap<>();
        for (UpstreamSpec u : upstreams.values()) {
            if (u.sticky() == null) {
                continue;
            }
            StickySpec s = StickySpec.parse(u.sticky(), u.name());
            if (s instanceof StickySpec.Learn l) {
                String owner = zoneOwners.putIfAbsent(l.zone(), u.name());
                if (owner != null) {
                    throw u.sticky().error("sticky zone \"%s\" is already used in upstream \"%s\"", l.zone(), owner);
                }
            }
            sticky.put(u.name(), s);
        }
        return new ProxyConfig(Map.copyOf(upstreams), Map.copyOf(sticky));
    }
}
