package io.zonesync.http.healthcheck;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.upstream.UpstreamZones;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiles {@code match} blocks and each location's {@code health_check}s: the upstream its
 * {@code proxy_pass} names must have a {@code zone}; each check is a {@link HealthChecker} of the
 * group's {@link HealthChecks} (one upstream may be checked from several locations, and a location
 * may have several checks), which run once the configuration is in force. The check's Host is the
 * location's {@code proxy_set_header Host} when that is a constant, else the upstream's name; its
 * timeouts are the location's {@code proxy_connect_timeout} and {@code proxy_read_timeout}.
 */
public final class HealthCheckFeature implements HttpFeature {
    private static final long DEFAULT_TIMEOUT_MS = 60_000;

    private final Supplier<Map<String, UpstreamSpec>> upstreams;
    private final Supplier<Map<String, UpstreamZones>> zones;
    private final Runtimes runtimes;
    private final Map<String, MatchSpec> matches = new HashMap<>();
    private final Map<String, HealthChecks> checked = new HashMap<>();

    /** Makes where one check runs, when it starts. */
    public interface Runtimes {
        HealthChecker.Runtime of(String upstream, HttpCheck check, long keepaliveTimeMs);
    }

    /**
     * @param upstreams the configuration's upstream blocks by name
     * @param zones the upstream zones by name
     * @param runtimes where a check of an upstream (by name) runs, made when it starts
     */
    public HealthCheckFeature(Supplier<Map<String, UpstreamSpec>> upstreams, Supplier<Map<String, UpstreamZones>> zones,
            Runtimes runtimes) {
        this.upstreams = upstreams;
        this.zones = zones;
        this.runtimes = runtimes;
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        for (Directive m : http.scope().block().all("match")) {
            if (matches.containsKey(m.arg(0))) {
                throw m.error("duplicate match \"%s\"", m.arg(0));
            }
            matches.put(m.arg(0), MatchSpec.parse(m, http.variables()));
        }
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        for (Directive d : location.scope().block().all("health_check")) {
            check(location, d);
        }
        return List.of();
    }

    private void check(CompileScope location, Directive d) throws ConfigException {
        HealthCheckSpec spec = HealthCheckSpec.parse(d);
        MatchSpec match = MatchSpec.DEFAULT;
        if (spec.match() != null) {
            match = matches.get(spec.match());
            if (match == null) {
                throw d.error("match \"%s\" not found", spec.match());
            }
        }
        String name = upstreamName(location.scope().block().first("proxy_pass"));
        UpstreamSpec upstream = name == null ? null : upstreams.get().get(name);
        if (upstream == null) {
            throw d.error("\"health_check\" requires \"proxy_pass\" to an upstream group in the same location");
        }
        if (upstream.zone() == null) {
            throw d.error("health check requires upstream \"%s\" to be in shared memory", name);
        }
        HealthChecks checks = checked.get(name);
        if (checks == null) {
            checks = new HealthChecks();
            checked.put(name, checks);
            zones.get().get(upstream.zone()).of(name).prepared().setMonitor(checks);
        }
        HttpCheck check = new HttpCheck(match, new HealthProbe.ProbeRequest(host(location, name), spec.uri(),
                timeout(location, "proxy_connect_timeout"), timeout(location, "proxy_read_timeout")));
        checks.add(new HealthChecker(spec, () -> runtimes.of(name, check, spec.keepaliveTimeMs())));
    }

    /** The upstream block {@code proxy_pass http://NAME[/uri]} names (no port), or null. */
    private static String upstreamName(Directive pass) {
        if (pass == null || !pass.arg(0).regionMatches(true, 0, "http://", 0, 7)) {
            return null;
        }
        String rest = pass.arg(0).substring(7);
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        return host.contains(":") ? null : host;
    }

    private static String host(CompileScope location, String upstream) {
        for (Directive h : location.scope().effective("proxy_set_header")) {
            if (h.arg(0).equalsIgnoreCase("Host") && h.argCount() == 2 && h.arg(1).indexOf('$') < 0
                    && !h.arg(1).isEmpty()) {
                return h.arg(1);
            }
        }
        return upstream;
    }

    private static long timeout(CompileScope location, String name) throws ConfigException {
        Directive t = location.scope().effectiveFirst(name);
        return t == null ? DEFAULT_TIMEOUT_MS : Values.timeMs(t, t.arg(0));
    }
}
