package io.zonesync.stream.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.upstream.Balancing;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.upstream.UpstreamZones;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.core.StreamVariables;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code upstream} blocks of a stream block, compiled into groups that balance with the http
 * upstream code (round robin, least_conn, hash, random; max_fails, backup, max_conns alike), and
 * the implicit group of a {@code proxy_pass host:port}. A stream server must name its port.
 */
public final class StreamUpstreams {
    /** A group and, for {@code hash}, its key in stream variables. */
    public record Group(UpstreamGroup group, StreamValue hashKey) {
    }

    private final Map<String, Group> byName;

    private StreamUpstreams(Map<String, Group> byName) {
        this.byName = byName;
    }

    /**
     * The stream block's upstreams; one with a {@code zone} keeps its servers in {@code zones} (by
     * zone name), across reloads, and takes them over when the configuration is committed.
     */
    public static StreamUpstreams compile(Scope stream, StreamVariables variables, Clock clock,
            Map<String, UpstreamZones> zones) throws ConfigException {
        Map<String, Group> out = new LinkedHashMap<>();
        for (Directive u : stream.block().all("upstream")) {
            for (Directive s : u.block().all("server")) {
                check(s);
            }
            // the stream block's resolver looks up resolve lines and names the API adds
            UpstreamSpec spec = UpstreamSpec.parse(u, stream.block(), null);
            StreamValue key = spec.balancing() instanceof Balancing.Hash h
                    ? StreamValue.compile(h.key(), variables, h.directive().where()) : null;
            if (out.containsKey(spec.name())) {
                throw u.error("duplicate upstream \"%s\"", spec.name());
            }
            UpstreamZones zone = spec.zone() == null ? null : zones.get(spec.zone());
            out.put(spec.name(), new Group(zone == null ? UpstreamGroup.keyedByCaller(spec, clock)
                    : UpstreamGroup.keyedByCaller(spec, clock, zone.of(spec.name())), key));
        }
        return new StreamUpstreams(out);
    }

    /**
     * What the http parser accepts that a stream server may not have: no port, parameters other
     * than nginx's and NGINX Plus's stream ones ({@code route=}, {@code drain}, ...).
     */
    private static void check(Directive s) throws ConfigException {
        boolean service = false;
        for (String p : s.args().subList(1, s.argCount())) {
            boolean known = p.equals("backup") || p.equals("down") || p.startsWith("weight=")
                    || p.startsWith("max_fails=") || p.startsWith("fail_timeout=") || p.startsWith("max_conns=")
                    || p.equals("resolve") || p.startsWith("service=") || p.startsWith("slow_start=");
            if (!known) {
                throw s.error("invalid parameter \"%s\"", p);
            }
            service |= p.startsWith("service=");
        }
        if (service) {
            return; // the SRV records give the port (and a port is refused as in http)
        }
        HostPort hp = HostPort.parse(s.arg(0), -1);
        if (hp != null && !hp.explicitPort() && !s.arg(0).startsWith("unix:")) {
            throw s.error("no port in upstream \"%s\"", s.arg(0));
        }
    }

    /** Every group, by name, in the order of the configuration. */
    public Map<String, UpstreamGroup> groups() {
        Map<String, UpstreamGroup> out = new LinkedHashMap<>();
        byName.forEach((name, g) -> out.put(name, g.group()));
        return out;
    }

    /** The group named so, or null. */
    public Group named(String name) {
        return byName.get(name);
    }

    /** Why a {@code proxy_pass} target is no address, in nginx's words. */
    public static final class BadTarget extends Exception {
        private static final long serialVersionUID = 1L;

        public BadTarget(String message) {
            super(message);
        }
    }

    /**
     * The implicit group of {@code proxy_pass host:port}, every address of the name a server. A
     * name is resolved only if {@code resolve} (at configuration time; a {@code proxy_pass} with
     * variables looks names up through the {@code resolver} instead, {@link #resolved}).
     */
    public static UpstreamGroup implicit(String target, boolean resolve, Clock clock, SourceLocation where)
            throws BadTarget {
        HostPort hp = HostPort.parse(target, -1);
        if (hp == null) {
            throw new BadTarget("invalid port in \"" + target + "\"");
        }
        if (!hp.explicitPort()) {
            throw new BadTarget("no port in upstream \"" + target + "\"");
        }
        if (!resolve && !isAddress(hp.host())) {
            throw new BadTarget("no resolver defined to resolve " + hp.host());
        }
        InetAddress[] ips;
        try {
            ips = InetAddress.getAllByName(hp.host());
        } catch (UnknownHostException e) {
            throw new BadTarget("host not found in upstream \"" + target + "\"");
        }
        List<ServerSpec> servers = new ArrayList<>();
        for (InetAddress ip : ips) {
            servers.add(new ServerSpec(target, new InetSocketAddress(ip, hp.port()), 1, ServerSpec.DEFAULT_MAX_FAILS,
                    ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0, false, false, null, where));
        }
        return new UpstreamGroup(UpstreamSpec.implicit(target, servers, where), clock);
    }

    /** The group of {@code proxy_pass $target} whose name the resolver looked up: every address a server. */
    public static UpstreamGroup resolved(String target, List<InetAddress> ips, int port, Clock clock,
            SourceLocation where) {
        List<ServerSpec> servers = new ArrayList<>();
        for (InetAddress ip : ips) {
            servers.add(new ServerSpec(target, new InetSocketAddress(ip, port), 1, ServerSpec.DEFAULT_MAX_FAILS,
                    ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0, false, false, null, where));
        }
        return new UpstreamGroup(UpstreamSpec.implicit(target, servers, where), clock);
    }

    /** An IPv4 or IPv6 address rather than a name. */
    public static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
