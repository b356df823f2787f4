package io.zonesync.stream.healthcheck;

import static io.zonesync.config.Context.STREAM;
import static io.zonesync.config.Context.STREAM_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.healthcheck.HealthCheckSpec;
import io.zonesync.http.healthcheck.HealthChecker;
import io.zonesync.http.healthcheck.HealthChecks;
import io.zonesync.http.upstream.UpstreamZones;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * NGINX Plus's active health checks of stream upstreams: {@code health_check [interval=] [jitter=]
 * [fails=] [passes=] [match=] [port=] [mandatory [persistent]] [udp]} in a server whose
 * {@code proxy_pass} names an upstream with a {@code zone}, {@code health_check_timeout} (5s) and
 * {@code match NAME { send; expect; }} ({@link StreamMatch}) in stream. Each check is a
 * {@link HealthChecker} of the group's {@link HealthChecks} (shared with http's checks), run by a
 * {@link StreamProbe}; a server the checks find unhealthy gets no connections.
 */
public final class StreamHealthCheckModule implements ConfModule, StreamFeature {
    private static final long DEFAULT_TIMEOUT_MS = 5000;
    private static final int DEFAULT_BUFFER_SIZE = 16 * 1024;

    private final Supplier<Map<String, UpstreamZones>> zones;
    private final Map<String, StreamMatch> matches = new HashMap<>();
    private final Map<String, HealthChecks> checked = new HashMap<>();

    /** The module's directives alone. */
    public StreamHealthCheckModule() {
        this(Map::of);
    }

    /** @param zones the stream upstreams' zones by name */
    public StreamHealthCheckModule(Supplier<Map<String, UpstreamZones>> zones) {
        this.zones = zones;
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_upstream_hc_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("health_check", Arity.atLeast(0), STREAM_SERVER));
        r.register(DirectiveSpec.single("health_check_timeout", Arity.exactly(1), STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.block("match", Arity.exactly(1), Context.OPAQUE, true, STREAM));
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (Directive m : stream.scope().block().all("match")) {
            if (matches.putIfAbsent(m.arg(0), StreamMatch.parse(m)) != null) {
                throw m.error("duplicate match \"%s\"", m.arg(0));
            }
        }
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        Scope scope = server.conf().scope();
        long timeout = timeout(scope);
        for (Directive d : scope.block().all("health_check")) {
            check(stream, scope, d, timeout);
        }
    }

    /** {@code health_check_timeout}, checked in every server whether or not it has checks. */
    private static long timeout(Scope server) throws ConfigException {
        Directive t = server.effectiveFirst("health_check_timeout");
        return t == null ? DEFAULT_TIMEOUT_MS : Values.positiveTimeMs(t, t.arg(0));
    }

    private void check(StreamCompile stream, Scope server, Directive d, long timeout) throws ConfigException {
        HealthCheckSpec spec = HealthCheckSpec.parseStream(d);
        StreamMatch match = null;
        if (spec.match() != null) {
            match = matches.get(spec.match());
            if (match == null) {
                throw d.error("match \"%s\" not found", spec.match());
            }
            if (spec.udp() && match.send() == null) {
                throw d.error("match \"%s\" has no \"send\": a \"udp\" check sends a datagram", spec.match());
            }
            Directive ssl = server.effectiveFirst("proxy_ssl");
            if (!spec.udp() && ssl != null && Values.flag(ssl) && (match.send() != null || match.expects())) {
                throw d.error("\"health_check\" with a \"match\" that sends or expects is not supported with"
                        + " \"proxy_ssl on\": checks speak plain TCP");
            }
        }
        Directive pass = server.block().first("proxy_pass");
        Directive upstream = pass == null ? null : upstream(stream, pass.arg(0));
        if (upstream == null) {
            throw d.error("\"health_check\" requires \"proxy_pass\" to an upstream group in the same server");
        }
        String name = upstream.arg(0);
        Directive zone = upstream.block().first("zone");
        if (zone == null) {
            throw d.error("health check requires upstream \"%s\" to be in shared memory", name);
        }
        HealthChecks checks = checked.get(name);
        if (checks == null) {
            checks = new HealthChecks();
            checked.put(name, checks);
            zones.get().get(zone.arg(0)).of(name).prepared().setMonitor(checks);
        }
        Directive b = server.effectiveFirst("proxy_buffer_size");
        int buffer = b == null ? DEFAULT_BUFFER_SIZE : (int) Math.min(Integer.MAX_VALUE, Values.size(b, b.arg(0)));
        StreamMatch m = match;
        checks.add(new HealthChecker(spec, () -> StreamProbe.runtime(name, m, spec.udp(), timeout, buffer)));
    }

    /** The stream {@code upstream} block named {@code name}, or null. */
    private static Directive upstream(StreamCompile stream, String name) {
        for (Directive u : stream.scope().block().all("upstream")) {
            if (u.arg(0).equals(name) && u.hasBlock()) {
                return u;
            }
        }
        return null;
    }
}
