package io.zonesync.http.upstream;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code upstream} block as configured: its servers, its keep-alive cache, its {@code zone}
 * (which puts it in the API) and its {@code sticky} line, left as written for the sticky package.
 *
 * @param balancing the method that chooses among the servers
 * @param keepalive idle connections cached per event loop, 0 for none
 * @param zone the {@code zone} name, or null
 * @param sticky the {@code sticky} directive, or null
 */
public record UpstreamSpec(String name, List<ServerSpec> servers, Balancing balancing, int keepalive, long keepaliveTimeoutMs,
        int keepaliveRequests, String zone, Directive sticky, SourceLocation where) {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSpec.class);

    public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_KEEPALIVE_REQUESTS = 1000;

    public UpstreamSpec {
        servers = List.copyOf(servers);
    }

    /** The implicit upstream of {@code proxy_pass http://host:port}: one entry per address. */
    public static UpstreamSpec implicit(String name, List<ServerSpec> servers, SourceLocation where) {
        return new UpstreamSpec(name, servers, new Balancing.RoundRobin(), 0, DEFAULT_KEEPALIVE_TIMEOUT_MS, DEFAULT_KEEPALIVE_REQUESTS, null,
                null, where);
    }

    /** Every {@code upstream} block of the http block, by name. */
    public static Map<String, UpstreamSpec> parseAll(Block http) throws ConfigException {
        Map<String, UpstreamSpec> out = new LinkedHashMap<>();
        for (Directive u : http.all("upstream")) {
            UpstreamSpec spec = parse(u);
            if (out.putIfAbsent(spec.name(), spec) != null) {
                throw u.error("duplicate upstream \"%s\"", spec.name());
            }
        }
        return out;
    }

    /** One {@code upstream} block (http's or stream's: the directives its context allows are checked before). */
    public static UpstreamSpec parse(Directive u) throws ConfigException {
        String name = u.arg(0);
        List<ServerSpec> servers = new ArrayList<>();
        Balancing balancing = new Balancing.RoundRobin();
        boolean methodSet = false;
        for (Directive d : u.block().directives()) {
            if (d.name().equals("server")) {
                List<ServerSpec> specs = ServerSpec.parse(d, name);
                if (!balancing.allowsBackup() && specs.get(0).backup()) {
                    // as nginx, which checks a server's parameters against the method set before it
                    throw d.error("balancing method does not support parameter \"backup\"");
                }
                servers.addAll(specs);
            } else if (Balancing.DIRECTIVES.contains(d.name())) {
                if (methodSet) {
                    LOG.warn("load balancing method redefined in {}", d.where());
                }
                methodSet = true;
                balancing = Balancing.parse(d);
            }
        }
        if (servers.isEmpty()) {
            throw u.error("no servers are inside upstream");
        }
        int keepalive = 0;
        Directive k = u.block().first("keepalive");
        if (k != null) {
            keepalive = Values.positiveInt(k, k.arg(0));
        }
        long keepaliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT_MS;
        Directive kt = u.block().first("keepalive_timeout");
        if (kt != null) {
            keepaliveTimeout = Values.timeMs(kt, kt.arg(0));
        }
        int keepaliveRequests = DEFAULT_KEEPALIVE_REQUESTS;
        Directive kr = u.block().first("keepalive_requests");
        if (kr != null) {
            keepaliveRequests = Values.positiveInt(kr, kr.arg(0));
        }
        String zone = null;
        Directive z = u.block().first("zone");
        if (z != null) {
            zone = z.arg(0);
            if (z.argCount() > 1) {
                Values.size(z, z.arg(1));
            }
        }
        return new UpstreamSpec(name, servers, balancing, keepalive, keepaliveTimeout, keepaliveRequests, zone,
                u.block().first("sticky"), u.where());
    }
}
