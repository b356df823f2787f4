package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.LogHandler;
import io.zonesync.http.proxycache.CachePurges;
import io.zonesync.http.proxycache.CacheStatus;
import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.http.proxycache.CacheZones;
import io.zonesync.http.sticky.SessionZone;
import io.zonesync.http.sticky.StickyPolicies;
import io.zonesync.http.sticky.StickySpec;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.upstream.UpstreamZones;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.dns.ResolverZones;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiles {@code proxy_pass} locations: builds the upstream groups of one configuration (with
 * their sticky policies) and gives each proxied location its handler. {@code proxy_pass
 * http://name} (or https) names an upstream block; any other host is resolved at compile time into an
 * implicit single-server group, shared by the locations that name the same host and port.
 * One instance per compile: its groups (and their statistics) live as long as the configuration.
 */
public final class ProxyFeature implements HttpFeature {
    private final ProxyConfig config;
    private final Supplier<Map<String, SessionZone>> stickyZones;
    private final Supplier<Map<String, UpstreamZones>> upstreamZones;
    private final Supplier<Map<String, CachePurges>> cachePurges;
    private final Clock clock;
    private final ResolverZones resolvers;
    private final CacheReports cacheReports;
    private final Map<String, UpstreamGroup> groups = new LinkedHashMap<>();
    private final Map<String, UpstreamGroup> implicit = new HashMap<>();
    private CacheZones caches;

    /**
     * @param resolvers the node's resolver status zones, where {@code proxy_pass} lookups with variables are counted
     * @param cacheReports the caches of the configuration in force, whose figures a cache of the same name keeps
     */
    public ProxyFeature(ProxyConfig config, Supplier<Map<String, SessionZone>> stickyZones,
            Supplier<Map<String, UpstreamZones>> upstreamZones, Supplier<Map<String, CachePurges>> cachePurges,
            Clock clock, ResolverZones resolvers, CacheReports cacheReports) {
        this.cacheReports = cacheReports;
        this.config = config;
        this.stickyZones = stickyZones;
        this.upstreamZones = upstreamZones;
        this.cachePurges = cachePurges;
        this.clock = clock;
        this.resolvers = resolvers;
    }

    /** The caches compiled, after {@link #configureHttp}, for the node to show once they are in force. */
    public CacheReports caches() {
        return caches == null ? CacheReports.NONE : caches.reports();
    }

    /** The configured upstream blocks, by name, after {@link #configureHttp}. */
    public Map<String, UpstreamGroup> groups() {
        return Map.copyOf(groups);
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        new UpstreamVariables().defineVariables(variables);
        CacheStatus.defineVariables(variables);
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        caches = CacheZones.compile(http, clock, cachePurges.get(), cacheReports);
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

    /** A server's, when the configuration has a cache: counts each request that used one into its figures. */
    @Override
    public List<LogHandler> logHandlers(CompileScope level) {
        return level.locationDirective() == null && caches.any() ? List.of(CacheZones.counting()) : List.of();
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        Directive pass = location.scope().block().first("proxy_pass");
        if (pass == null) {
            return null;
        }
        String url = pass.arg(0);
        boolean https = url.regionMatches(true, 0, "https://", 0, 8);
        if (url.indexOf('$') >= 0) {
            return withVariables(location, pass, url, https);
        }
        if (!https && !url.regionMatches(true, 0, "http://", 0, 7)) {
            throw pass.error("invalid URL prefix in \"%s\"", url);
        }
        String rest = url.substring(https ? 8 : 7);
        String hostPort;
        String uriPart;
        HostPort hp;
        UpstreamGroup group;
        if (rest.regionMatches(true, 0, "unix:", 0, 5)) {
            // http://unix:/path:/uri: the path ends at the colon; the Host is localhost, as in nginx
            int colon = rest.indexOf(':', 5);
            String path = colon < 0 ? rest.substring(5) : rest.substring(5, colon);
            uriPart = colon < 0 ? null : rest.substring(colon + 1);
            if (path.isEmpty()) {
                throw pass.error("no path in the unix domain socket \"%s\"", url);
            }
            hostPort = "localhost";
            hp = new HostPort("localhost", 0, false);
            group = unixGroup(pass, path);
        } else {
            int slash = rest.indexOf('/');
            hostPort = slash < 0 ? rest : rest.substring(0, slash);
            uriPart = slash < 0 ? null : rest.substring(slash);
            hp = HostPort.parse(hostPort, https ? 443 : 80);
            if (hp == null) {
                throw pass.error("invalid port in upstream \"%s\"", hostPort);
            }
            group = hp.explicitPort() ? null : groups.get(hp.host());
            if (group == null) {
                group = implicitGroup(pass, hostPort, hp, https);
            }
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
        ProxyTls tls = https ? ProxyTls.compile(location, pass, hp.host()) : null;
        return new ProxyHandler(new ProxyRoute(group, hostPort, uriPart, prefix, settings, redirects, tls),
                caches.policy(location));
    }

    private ContentHandler withVariables(CompileScope location, Directive pass, String url, boolean https)
            throws ConfigException {
        if (caches.policy(location) != null) {
            throw pass.error("\"proxy_cache\" with variables in \"proxy_pass\" is not supported: \"%s\"", url);
        }
        if (!https && !url.regionMatches(true, 0, "http://", 0, 7)) {
            throw pass.error("variables in the scheme of \"proxy_pass\" are not supported: \"%s\"", url);
        }
        Directive r = location.scope().effectiveFirst("resolver");
        ResolverConf resolver = r == null ? null
                : ResolverConf.parse(r, location.scope().effectiveFirst("resolver_timeout"));
        ProxySettings settings = ProxySettings.compile(location, false);
        RedirectRewrite redirects = location.scope().effective("proxy_redirect").isEmpty()
                ? new RedirectRewrite(List.of()) : RedirectRewrite.compile(location, pass, null, "");
        for (Directive d : location.scope().effective("proxy_redirect")) {
            if (d.argCount() == 1 && d.arg(0).equals("default")) {
                throw d.error("\"proxy_redirect default\" cannot be used with \"proxy_pass\" directive with variables");
            }
        }
        ProxyTls tls = null;
        if (https) {
            String hostText = url.substring(8).split("/", 2)[0];
            tls = ProxyTls.compile(location, pass, hostText);
        }
        return new VariableProxyHandler(new VariableProxyHandler.Target(location.compile(pass, url), https,
                Map.copyOf(groups), resolver, resolvers, settings, redirects, tls, clock, pass.where()));
    }

    /** On every location: the location a response ends in need not be the one that proxied. */
    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) {
        return List.of(UpstreamHeaderCarry.INSTANCE);
    }

    private UpstreamGroup unixGroup(Directive pass, String path) {
        String name = "unix:" + path;
        return implicit.computeIfAbsent(name, k -> new UpstreamGroup(UpstreamSpec.implicit(name,
                List.of(new ServerSpec(name, ServerSpec.unixAddress(path), 1, ServerSpec.DEFAULT_MAX_FAILS,
                        ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0, false, false, null, pass.where())), pass.where()), clock));
    }

    private UpstreamGroup implicitGroup(Directive pass, String hostPort, HostPort hp, boolean https)
            throws ConfigException {
        // http and https to one address keep apart: their cached connections differ
        String key = (https ? "https://" : "") + hp.host() + ":" + hp.port();
        UpstreamGroup g = implicit.get(key);
        if (g == null) {
            List<ServerSpec> servers;
            try {
                String target = https && !hp.explicitPort() ? hostPort + ":443" : hostPort;
                servers = ServerSpec.parse(new Directive("server", List.of(target), pass.where(), null), hostPort);
            } catch (ConfigException e) {
                throw pass.error("host not found in upstream \"%s\"", hostPort);
            }
            g = new UpstreamGroup(UpstreamSpec.implicit(hostPort, servers, pass.where()), clock);
            implicit.put(key, g);
        }
        return g;
    }
}
