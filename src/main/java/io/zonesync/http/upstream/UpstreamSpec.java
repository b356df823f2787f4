package io.zonesync.http.upstream;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import io.zonesync.net.ResolverConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code upstream} block as configured: its servers (those with an address, and the
 * {@code resolve} templates DNS fills in at run time), its keep-alive cache, its {@code zone}
 * (which keeps its servers and counters across reloads and puts it in the API), its {@code state}
 * file and its {@code sticky} line, left as written for the sticky package.
 *
 * @param servers the servers with an address (from the block, or from the state file)
 * @param resolvable the {@code server name resolve} templates, looked up at run time
 * @param balancing the method that chooses among the servers
 * @param keepalive idle connections cached per event loop, 0 for none
 * @param zone the {@code zone} name, or null
 * @param sticky the {@code sticky} directive, or null
 * @param resolver the upstream's own {@code resolver}, else the http block's when there is something
 *     to resolve or a {@code zone} (the API may add names), else null
 * @param stateFile the {@code state} file, or null
 * @param queueMax how many requests may wait for a server ({@code queue}), 0 for none
 * @param queueTimeoutMs how long a request waits in the queue
 */
public record UpstreamSpec(String name, List<ServerSpec> servers, List<ServerSpec> resolvable, Balancing balancing,
        int keepalive, long keepaliveTimeoutMs, int keepaliveRequests, String zone, Directive sticky,
        ResolverConf resolver, Path stateFile, int queueMax, long queueTimeoutMs, SourceLocation where) {
    public static final long DEFAULT_QUEUE_TIMEOUT_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSpec.class);

    public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_KEEPALIVE_REQUESTS = 1000;

    public UpstreamSpec {
        servers = List.copyOf(servers);
        resolvable = List.copyOf(resolvable);
    }

    /** A block of static servers only (no resolution, no state file). */
    public UpstreamSpec(String name, List<ServerSpec> servers, Balancing balancing, int keepalive,
            long keepaliveTimeoutMs, int keepaliveRequests, String zone, Directive sticky, SourceLocation where) {
        this(name, servers, List.of(), balancing, keepalive, keepaliveTimeoutMs, keepaliveRequests, zone, sticky, null,
                null, 0, DEFAULT_QUEUE_TIMEOUT_MS, where);
    }

    /** The implicit upstream of {@code proxy_pass http://host:port}: one entry per address. */
    public static UpstreamSpec implicit(String name, List<ServerSpec> servers, SourceLocation where) {
        return new UpstreamSpec(name, servers, new Balancing.RoundRobin(), 0, DEFAULT_KEEPALIVE_TIMEOUT_MS, DEFAULT_KEEPALIVE_REQUESTS, null,
                null, where);
    }

    /** Every {@code upstream} block of the http block, by name; {@code state} files are relative to {@code prefix}. */
    public static Map<String, UpstreamSpec> parseAll(Block http, Path prefix) throws ConfigException {
        Map<String, UpstreamSpec> out = new LinkedHashMap<>();
        for (Directive u : http.all("upstream")) {
            UpstreamSpec spec = parse(u, http, prefix);
            if (out.putIfAbsent(spec.name(), spec) != null) {
                throw u.error("duplicate upstream \"%s\"", spec.name());
            }
        }
        return out;
    }

    /** A block outside any http block (no resolver), state files relative to the working directory. */
    public static UpstreamSpec parse(Directive u) throws ConfigException {
        return parse(u, new Block(List.of()), null);
    }

    public static UpstreamSpec parse(Directive u, Block http, Path prefix) throws ConfigException {
        String name = u.arg(0);
        List<ServerSpec> servers = new ArrayList<>();
        List<ServerSpec> resolvable = new ArrayList<>();
        Balancing balancing = new Balancing.RoundRobin();
        boolean methodSet = false;
        Directive state = u.block().first("state");
        Path stateFile = null;
        List<Directive> stateLines = new ArrayList<>();
        if (state != null) {
            Directive first = u.block().first("server");
            if (first != null) {
                throw first.error("\"server\" directive is incompatible with \"state\" directive at %s", state.where());
            }
            stateFile = prefix == null ? Path.of(state.arg(0)) : prefix.resolve(state.arg(0));
            stateLines.addAll(UpstreamStateFile.read(stateFile, state));
        }
        List<ServerSpec> all = new ArrayList<>();
        for (Directive d : stateLines) { // the state file's: checked against the method in the end
            all.addAll(ServerSpec.parse(d, name));
        }
        for (Directive d : u.block().directives()) {
            if (d.name().equals("server")) {
                List<ServerSpec> specs = ServerSpec.parse(d, name);
                if (!balancing.allowsBackup() && specs.get(0).backup()) {
                    // as nginx, which checks a server's parameters against the method set before it
                    throw d.error("balancing method does not support parameter \"backup\"");
                }
                all.addAll(specs);
            } else if (Balancing.DIRECTIVES.contains(d.name())) {
                if (methodSet) {
                    LOG.warn("load balancing method redefined in {}", d.where());
                }
                methodSet = true;
                balancing = Balancing.parse(d);
            }
        }
        for (ServerSpec s : all) {
            if (s.slowStartMs() > 0 && !balancing.allowsSlowStart()) {
                throw ConfigException.at(s.where(), "balancing method does not support parameter \"slow_start\"");
            }
            if (state != null && s.backup() && !balancing.allowsBackup()) {
                throw ConfigException.at(s.where(), "balancing method does not support parameter \"backup\"");
            }
            (s.address() == null ? resolvable : servers).add(s);
        }
        Directive z = u.block().first("zone");
        if (z == null) {
            for (ServerSpec s : all) {
                if (s.resolve()) {
                    throw ConfigException.at(s.where(), "resolving names at run time requires upstream \"%s\" to be"
                            + " in shared memory (\"zone\")", name);
                }
            }
            if (state != null) {
                throw state.error("\"state\" requires upstream \"%s\" to be in shared memory (\"zone\")", name);
            }
        }
        ResolverConf resolver = null;
        Directive ownResolver = u.block().first("resolver");
        if (ownResolver != null) {
            resolver = ResolverConf.parse(ownResolver, u.block().first("resolver_timeout"));
        } else if (!resolvable.isEmpty() || z != null) {
            // with a zone, the API may add names to resolve
            Directive r = http.first("resolver");
            if (r == null && !resolvable.isEmpty()) {
                throw ConfigException.at(resolvable.get(0).where(), "no resolver defined to resolve names at run time"
                        + " in upstream \"%s\"", name);
            }
            resolver = r == null ? null : ResolverConf.parse(r, http.first("resolver_timeout"));
        }
        if (servers.isEmpty() && resolvable.isEmpty() && z == null) {
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
        if (z != null) {
            zone = z.arg(0);
            int sized = z.argCount() > 1 && z.arg(z.argCount() - 1).equals("sync") ? z.argCount() - 1 : z.argCount();
            if (sized > 2) {
                throw z.error("invalid parameter \"%s\"", z.arg(2));
            }
            if (sized > 1) {
                Values.size(z, z.arg(1));
            }
        }
        int queueMax = 0;
        long queueTimeout = DEFAULT_QUEUE_TIMEOUT_MS;
        Directive q = u.block().first("queue");
        if (q != null) {
            queueMax = Values.positiveInt(q, q.arg(0));
            if (q.argCount() == 2) {
                String v = Values.param(q.arg(1), "timeout");
                if (v == null) {
                    throw q.error("invalid parameter \"%s\"", q.arg(1));
                }
                queueTimeout = Values.positiveTimeMs(q, v);
            }
        }
        return new UpstreamSpec(name, servers, resolvable, balancing, keepalive, keepaliveTimeout, keepaliveRequests,
                zone, u.block().first("sticky"), resolver, stateFile, queueMax, queueTimeout, u.where());
    }
}
