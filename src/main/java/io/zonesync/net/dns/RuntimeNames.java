package io.zonesync.net.dns;

import io.zonesync.net.ResolverConf;
import io.zonesync.net.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run-time name lookups for {@code proxy_pass} with variables (http's and stream's), through the
 * {@code resolver} in force there (this package's DNS client), each answer kept for its TTL or the
 * resolver's {@code valid=}. One lookup client per distinct resolver setting (and status zone
 * counts) serves every configuration for the life of the process, on one thread of its own; an
 * answer kept is not asked again, so only the queries sent are counted in the status zone.
 */
public final class RuntimeNames {
    private static final Map<Client, NettyDnsLookup> LOOKUPS = new ConcurrentHashMap<>();
    private static volatile Transport transport;

    /** The addresses of one name, or why there are none in nginx's words ({@code 3: Host not found}). */
    public record Result(List<InetAddress> addresses, String failure) {
    }

    private RuntimeNames() {
    }

    /** Answers kept for their TTL (or {@code valid=}), as nginx's resolver keeps them. */
    private static final Map<Key, Cached> CACHE = new ConcurrentHashMap<>();
    /** Past this many names the cache starts again, so that names from requests cannot fill memory. */
    private static final int CACHE_LIMIT = 10_000;

    private record Key(ResolverConf conf, String host) {
    }

    /** A lookup client's settings and the status zone counts it adds to (null without a zone). */
    private record Client(ResolverConf conf, ResolverStats stats) {
    }

    private record Cached(List<InetAddress> addresses, long expiresAtMs) {
    }

    /** Looks {@code host} up with {@code conf}, counting the queries in its status zone among {@code zones}. */
    public static CompletionStage<Result> resolve(ResolverConf conf, ResolverZones zones, String host, Clock clock) {
        Key key = new Key(conf, host.toLowerCase(Locale.ROOT));
        Cached hit = CACHE.get(key);
        long now = clock.millis();
        if (hit != null && hit.expiresAtMs() > now) {
            return CompletableFuture.completedFuture(new Result(hit.addresses(), null));
        }
        return lookup(new Client(conf, zones.of(conf)), host).thenApply(answer -> {
            Result r = result(answer);
            if (!r.addresses().isEmpty()) {
                long ttl = answer.families().stream().flatMap(f -> f.records().stream())
                        .mapToLong(TtlAddress::ttlSeconds).min().orElse(0);
                long keepMs = conf.validMs() != null ? conf.validMs() : ttl * 1000;
                if (keepMs > 0) {
                    if (CACHE.size() >= CACHE_LIMIT) {
                        CACHE.clear();
                    }
                    CACHE.put(key, new Cached(r.addresses(), now + keepMs));
                }
            }
            return r;
        });
    }

    private static CompletionStage<DnsAnswer> lookup(Client client, String host) {
        NettyDnsLookup lookup = LOOKUPS.computeIfAbsent(client, c -> {
            try {
                return NettyDnsLookup.fromConf(c.conf(), transport(), c.stats());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return lookup.lookup(host);
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
            synchronized (RuntimeNames.class) {
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
