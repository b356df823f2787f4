package io.zonesync.http.proxy;

import io.zonesync.net.ResolverConf;
import io.zonesync.net.Transport;
import io.zonesync.sync.discovery.DnsAnswer;
import io.zonesync.sync.discovery.FamilyAnswer;
import io.zonesync.sync.discovery.NettyDnsLookup;
import io.zonesync.sync.discovery.TtlAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run-time name lookups for {@code proxy_pass} with variables, through the {@code resolver} of the
 * location (the DNS client zone_sync discovery uses). One lookup client per distinct resolver
 * setting serves every configuration for the life of the process, on one thread of its own.
 */
final class ProxyResolver {
    private static final Map<ResolverConf, NettyDnsLookup> LOOKUPS = new ConcurrentHashMap<>();
    private static volatile Transport transport;

    /** The addresses of one name, or why there are none in nginx's words ({@code 3: Host not found}). */
    record Result(List<InetAddress> addresses, String failure) {
    }

    private ProxyResolver() {
    }

    static CompletionStage<Result> resolve(ResolverConf conf, String host) {
        NettyDnsLookup lookup = LOOKUPS.computeIfAbsent(conf, c -> {
            try {
                return NettyDnsLookup.fromConf(c, transport());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return lookup.lookup(host).thenApply(ProxyResolver::result);
    }

    private static Result result(DnsAnswer answer) {
        List<InetAddress> out = new ArrayList<>();
        boolean noSuchName = false;
        for (FamilyAnswer f : answer.families()) {
            f.records().stream().map(TtlAddress::address).forEach(out::add);
            noSuchName |= f.outcome() == FamilyAnswer.Outcome.NO_SUCH_NAME;
        }
        if (!out.isEmpty()) {
            return new Result(out, null);
        }
        if (answer.failedEntirely() && !noSuchName) {
            return new Result(List.of(), "110: Operation timed out");
        }
        return new Result(List.of(), "3: Host not found");
    }

    private static Transport transport() {
        Transport t = transport;
        if (t == null) {
            synchronized (ProxyResolver.class) {
                t = transport;
                if (t == null) {
                    t = Transport.nio(1, "zonesync-proxy-dns");
                    transport = t;
                }
            }
        }
        return t;
    }
}
