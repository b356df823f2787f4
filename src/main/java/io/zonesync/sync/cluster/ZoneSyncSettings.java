package io.zonesync.sync.cluster;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.net.AddressText;
import io.zonesync.net.Endpoint;
import io.zonesync.net.ResolverConf;
import io.zonesync.stream.StreamListen;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.tls.SyncLinkSecurity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the {@code zone_sync} server says, with NGINX Plus's defaults: buffers 8 x 4k (one
 * page), receive buffer number x size, interval 1s, connect timeout 5s, retry 1s, timeout 5s; and
 * zonesync's own {@code zone_sync_digest_interval} (anti-entropy, default 10s, {@code off}: 0).
 * Static {@code zone_sync_server} names are resolved here, once, each address a node; names with
 * {@code resolve} are kept for the DNS discovery.
 */
public record ZoneSyncSettings(
        StreamServerConf server,
        List<StaticPeer> staticPeers,
        List<Endpoint> dnsNames,
        ResolverConf resolver,
        int bufferCount,
        int bufferSize,
        int recvBufferSize,
        long intervalMs,
        long connectTimeoutMs,
        long connectRetryIntervalMs,
        long timeoutMs,
        long digestIntervalMs,
        SyncLinkSecurity security) {

    /** How often, by default, linked nodes compare digests of their zones (doc/protocol.md 11.5). */
    public static final long DEFAULT_DIGEST_INTERVAL_MS = 10_000;

    public static final int PAGE_SIZE = 4096;

    /** A node from a static {@code zone_sync_server}: the name as written and one address it stands for. */
    public record StaticPeer(String name, Endpoint endpoint, InetSocketAddress address) {
        public String key() {
            return endpoint.isUnix() ? endpoint.toString() : AddressText.hostPort(address);
        }
    }

    /** How a name resolves; a seam for tests. */
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        HostResolver SYSTEM = InetAddress::getAllByName;
    }

    /** The settings of the one server with {@code zone_sync}, if any. */
    public static Optional<ZoneSyncSettings> compile(List<StreamServerConf> servers, HostResolver hosts)
            throws ConfigException {
        return compile(servers, hosts, null);
    }

    /** As above, with TLS file names relative to {@code confDir} (the main configuration's directory). */
    public static Optional<ZoneSyncSettings> compile(List<StreamServerConf> servers, HostResolver hosts, Path confDir)
            throws ConfigException {
        StreamServerConf found = null;
        for (StreamServerConf s : servers) {
            Directive zs = s.scope().block().first("zone_sync");
            if (zs != null) {
                if (found != null) {
                    throw zs.error("\"zone_sync\" directive is duplicate");
                }
                found = s;
            }
        }
        return found == null ? Optional.empty() : Optional.of(compile(found, hosts, confDir));
    }

    private static ZoneSyncSettings compile(StreamServerConf server, HostResolver hosts, Path confDir)
            throws ConfigException {
        Scope scope = server.scope();
        int count = 8;
        int size = PAGE_SIZE;
        Directive buffers = scope.effectiveFirst("zone_sync_buffers");
        if (buffers != null) {
            count = Values.positiveInt(buffers, buffers.arg(0));
            long s = Values.size(buffers, buffers.arg(1));
            if (s < Protocol.MIN_FRAME_SIZE || s > 64L * 1024 * 1024) {
                // 512 holds a frame's header with the longest zone name and a record, and is the
                // smallest frame a peer must accept (doc/protocol.md section 8).
                throw buffers.error("zone_sync_buffers size \"%s\" must be between %d and 64m", buffers.arg(1),
                        Protocol.MIN_FRAME_SIZE);
            }
            size = (int) s;
        }
        int recv = count * size;
        Directive recvDirective = scope.effectiveFirst("zone_sync_recv_buffer_size");
        if (recvDirective != null) {
            long r = Values.size(recvDirective, recvDirective.arg(0));
            if (r < size) {
                throw recvDirective.error("zone_sync_recv_buffer_size %s is smaller than one zone_sync_buffers buffer"
                        + " (%d bytes): a peer's frame of one buffer could not be received", recvDirective.arg(0), size);
            }
            if (r > Integer.MAX_VALUE) {
                throw recvDirective.invalidValue(recvDirective.arg(0));
            }
            recv = (int) r;
        }
        long interval = time(scope, "zone_sync_interval", 1000);
        long connectTimeout = time(scope, "zone_sync_connect_timeout", 5000);
        long retry = time(scope, "zone_sync_connect_retry_interval", 1000);
        long timeout = time(scope, "zone_sync_timeout", 5000);
        Directive digestDirective = scope.effectiveFirst("zone_sync_digest_interval");
        long digestInterval = digestDirective != null && digestDirective.arg(0).equals("off") ? 0
                : time(scope, "zone_sync_digest_interval", DEFAULT_DIGEST_INTERVAL_MS);

        List<StaticPeer> peers = new ArrayList<>();
        List<Endpoint> dns = new ArrayList<>();
        Directive firstStatic = null;
        Directive firstResolve = null;
        Set<String> written = new HashSet<>();
        Set<String> resolvedKeys = new HashSet<>();
        for (Directive d : scope.block().all("zone_sync_server")) {
            boolean resolve = false;
            if (d.argCount() == 2) {
                if (!d.arg(1).equals("resolve")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                resolve = true;
            }
            Endpoint e;
            try {
                e = Endpoint.parse(d.arg(0), -1, false);
            } catch (Endpoint.ParseException ex) {
                throw d.error("%s of the \"zone_sync_server\" directive", ex.getMessage());
            }
            if (!written.add(e.toString())) {
                throw d.error("zone_sync_server \"%s\" is listed twice", d.arg(0));
            }
            if (resolve) {
                if (e.isUnix()) {
                    throw d.error("\"resolve\" cannot be used with \"%s\"", d.arg(0));
                }
                firstResolve = firstResolve == null ? d : firstResolve;
                dns.add(e);
            } else {
                firstStatic = firstStatic == null ? d : firstStatic;
                for (StaticPeer p : resolveStatic(d, e, hosts)) {
                    if (!resolvedKeys.add(p.key())) {
                        throw d.error("zone_sync_server \"%s\" lists the node %s a second time", d.arg(0), p.key());
                    }
                    peers.add(p);
                }
            }
        }
        if (firstStatic != null && firstResolve != null) {
            Directive later = firstStatic.where().line() > firstResolve.where().line() ? firstStatic : firstResolve;
            throw later.error("zone_sync_server with \"resolve\" cannot be mixed with static zone_sync_server"
                    + " entries: give either one name with \"resolve\" or a list of nodes");
        }
        ResolverConf resolver = null;
        Directive resolverDirective = scope.effectiveFirst("resolver");
        if (resolverDirective != null) {
            resolver = ResolverConf.parse(resolverDirective, scope.effectiveFirst("resolver_timeout"));
        }
        if (firstResolve != null && resolver == null) {
            throw firstResolve.error("no resolver defined to resolve \"%s\": add a \"resolver\" directive to the"
                    + " stream block", firstResolve.arg(0));
        }
        for (StreamListen l : server.listens()) {
            if (l.endpoint().isUnix() && firstResolve != null) {
                throw l.directive().error("a unix: listen cannot be combined with zone_sync_server \"resolve\"");
            }
        }
        return new ZoneSyncSettings(server, List.copyOf(peers), List.copyOf(dns), resolver, count, size, recv,
                interval, connectTimeout, retry, timeout, digestInterval, SyncLinkSecurity.compile(server, confDir));
    }

    private static List<StaticPeer> resolveStatic(Directive d, Endpoint e, HostResolver hosts) throws ConfigException {
        if (e.isUnix()) {
            return List.of(new StaticPeer(e.toString(), e, null));
        }
        InetAddress[] addresses;
        try {
            addresses = hosts.resolve(e.host());
        } catch (UnknownHostException ex) {
            throw d.error("host not found in zone_sync_server \"%s\"", d.arg(0));
        }
        List<StaticPeer> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            out.add(new StaticPeer(e.host(), e, new InetSocketAddress(a, e.port())));
        }
        return out;
    }

    private static long time(Scope scope, String name, long defaultMs) throws ConfigException {
        Directive d = scope.effectiveFirst(name);
        return d == null ? defaultMs : Values.positiveTimeMs(d, d.arg(0));
    }
}
