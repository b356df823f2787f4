package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.sticky.SessionZone;
import io.zonesync.http.sticky.StickyPolicies;
import io.zonesync.http.sticky.StickySpec;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.upstream.UpstreamZones;
import io.zonesync.http.vars.VariableRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiles {@code proxy_pass} locations: builds the upstream groups of one configuration (with
 * their sticky policies) and gives each proxied location its handler. {@code proxy_pass
 * http://name} names an upstream block; any other host is resolved at compile time into an
 * implicit single-server group, shared by the locations that name the same host and port.
 * One instance per compile: its groups (and their statistics) live as long as the configuration.
 */
public final class ProxyFeature implements HttpFeature {
    private final ProxyConfig config;
    private final Supplier<Map<String, SessionZone>> stickyZones;
    private final Supplier<Map<String, UpstreamZones>> upstreamZones;
    private final Clock clock;
    private final Map<String, UpstreamGroup> groups = new LinkedHashMap<>();
    private final Map<String, UpstreamGroup> implicit = new HashMap<>();

    public ProxyFeature(ProxyConfig config, Supplier<Map<String, SessionZone>> stickyZones,
            Supplier<Map<String, UpstreamZones>> upstreamZones, Clock clock) {
        this.config = config;
        this.stickyZones = stickyZones;
        this.upstreamZones = upstreamZones;
        this.clock = clock;
    }

    /** The configured upstream blocks, by name, after {@link #configureHttp}. */
    public Map<String, UpstreamGroup> groups() {
        return Map.copyOf(groups);
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        new UpstreamVariables().defineVariables(variables);
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        Map<String, UpstreamZones> zones = upstreamZones.get();
        for (UpstreamSpec spec : config.upstreams().values()) {
            UpstreamGroup g = UpstreamGroup.compile(spec, clock, http.variables(),
                    spec.zone() == null ? null : zones.get(spec.zone()).of(spec.name()));
            StickySpec sticky = config.sticky().get(spec.name());
            if (sticky != null) {
                g.setSticky(StickyPolicies.create(sticky, http.variables(), stickyZones.get()));
            }
            groups.put(spec.name(), g);
        }
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        Directive pass = location.scope().block().first("proxy_pass");
        if (pass == null) {
            return null;
        }
        String url = pass.arg(0);
        if (url.indexOf('$') >= 0) {
            throw pass.error("variables in \"proxy_pass\" are not supported: \"%s\"", url);
        }
        if (url.regionMatches(true, 0, "https://", 0, 8)) {
            throw pass.error("https upstreams are not supported: \"%s\"", url);
        }
        if (!url.regionMatches(true, 0, "http://", 0, 7)) {
            throw pass.error("invalid URL prefix in \"%s\"", url);
        }
        String rest = url.substring(7);
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String uriPart = slash < 0 ? null : rest.substring(slash);
        HostPort hp = HostPort.parse(hostPort, 80);
        if (hp == null) {
            throw pass.error("invalid port in upstream \"%s\"", hostPort);
        }
        UpstreamGroup group = hp.explicitPort() ? null : groups.get(hp.host());
        if (group == null) {
            group = implicitGroup(pass, hostPort, hp);
        }
        String prefix = "";
        Directive loc = location.locationDirective();
        if (uriPart != null && loc != null) {
            String first = loc.arg(0);
            boolean regex = first.equals("~") || first.equals("~*");
            if (regex || first.startsWith("@")) {
                throw pass.error("\"proxy_pass\" cannot have URI part in location given by regular expression, or"
                        + " inside named location, or inside \"if\" statement, or inside \"limit_except\" block");
            }
            prefix = loc.arg(loc.argCount() - 1);
        }
        ProxySettings settings = ProxySettings.compile(location, group.spec().keepalive() > 0);
        RedirectRewrite redirects = RedirectRewrite.compile(location, pass, uriPart, prefix);
        return new ProxyHandler(new ProxyRoute(group, hostPort, uriPart, prefix, settings, redirects));
    }

    /** On every location: the location a response ends in need not be the one that proxied. */
    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) {
        return List.of(UpstreamHeaderCarry.INSTANCE);
    }

    private UpstreamGroup implicitGroup(Directive pass, String hostPort, HostPort hp) throws ConfigException {
        String key = hp.host() + ":" + hp.port();
        UpstreamGroup g = implicit.get(key);
        if (g == null) {
            List<ServerSpec> servers;
            try {
                servers = ServerSpec.parse(new Directive("server", List.of(hostPort), pass.where(), null), hostPort);
            } catch (ConfigException e) {
                throw pass.error("host not found in upstream \"%s\"", hostPort);
            }
            g = new UpstreamGroup(UpstreamSpec.implicit(hostPort, servers, pass.where()), clock);
            implicit.put(key, g);
        }
        return g;
    }
}
