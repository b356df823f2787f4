package io.zonesync.net.dns;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.zonesync.net.Endpoint;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@link DnsLookup} on Netty's DNS client, configured as the {@code resolver} directive says.
 *
 * <p>Each query goes to the next name server in turn (round robin, as nginx does). A server that
 * does not answer within {@code resolver_timeout}, or answers with anything but NOERROR or
 * NXDOMAIN (SERVFAIL, REFUSED, ...), or sends an unusable reply, is skipped for the next one; the
 * query fails when every server has been tried once. NXDOMAIN ends the query at once: it is a
 * definite answer. Nothing is cached here (the caller schedules the next lookup from the TTLs),
 * and neither /etc/hosts nor search domains apply: names are looked up as written. A truncated
 * UDP answer is asked again over TCP. SRV records are looked up the same way ({@link #lookupSrv}).
 * With a status zone ({@code resolver ... status_zone=}), every query sent and how it ended are
 * counted in its {@link ResolverStats}.
 */
public final class NettyDnsLookup implements DnsLookup {
    private final List<InetSocketAddress> servers;
    private final List<AddressFamily> families;
    private final long timeoutMs;
    private final DnsNameResolver resolver;
    private final ResolverStats stats;
    private final AtomicInteger nextServer = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param servers   the name servers, queried round robin
     * @param families  the families looked up (A for IPv4, AAAA for IPv6), at least one
     * @param timeoutMs how long to wait for one server's answer ({@code resolver_timeout})
     * @param transport whose event loop and channel kind (epoll or NIO) the client uses
     */
    public NettyDnsLookup(List<InetSocketAddress> servers, List<AddressFamily> families, long timeoutMs,
            Transport transport) {
        this(servers, families, timeoutMs, transport, null);
    }

    /** As above, counting every query in {@code stats} (null: not counted). */
    public NettyDnsLookup(List<InetSocketAddress> servers, List<AddressFamily> families, long timeoutMs,
            Transport transport, ResolverStats stats) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no name servers to look names up with");
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("no address family to look up: ipv4 and ipv6 are both off");
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("resolver timeout " + timeoutMs + " ms must be above 0");
        }
        this.servers = List.copyOf(servers);
        this.families = List.copyOf(families);
        this.timeoutMs = timeoutMs;
        this.stats = stats;
        boolean epoll = transport.isEpoll();
        this.resolver = new DnsNameResolverBuilder(transport.group().next())
                .datagramChannelType(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .socketChannelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(this.servers))
                .queryTimeoutMillis(timeoutMs)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .hostsFileEntriesResolver((host, types) -> null)
                .searchDomains(List.of())
                .ndots(1)
                .recursionDesired(true)
                .resolvedAddressTypes(families.contains(AddressFamily.IPV4)
                        ? (families.contains(AddressFamily.IPV6) ? ResolvedAddressTypes.IPV4_PREFERRED
                                : ResolvedAddressTypes.IPV4_ONLY)
                        : ResolvedAddressTypes.IPV6_ONLY)
                .build();
    }

    /**
     * A lookup as {@code resolver} and {@code resolver_timeout} configure it, counting its queries in
     * the resolver's status zone among {@code zones}.
     */
    public static NettyDnsLookup fromConf(ResolverConf conf, Transport transport, ResolverZones zones)
            throws UnknownHostException {
        return fromConf(conf, transport, zones.of(conf));
    }

    /** A lookup as {@code resolver} and {@code resolver_timeout} configure it, counting in {@code stats} (or not: null). */
    static NettyDnsLookup fromConf(ResolverConf conf, Transport transport, ResolverStats stats)
            throws UnknownHostException {
        List<AddressFamily> families = new ArrayList<>();
        if (conf.ipv4()) {
            families.add(AddressFamily.IPV4);
        }
        if (conf.ipv6()) {
            families.add(AddressFamily.IPV6);
        }
        return new NettyDnsLookup(nameServers(conf.servers()), families, conf.timeoutMs(), transport, stats);
    }

    /**
     * The socket addresses of the configured name servers. An IP literal is taken as is; a name
     * is resolved once, now, with the system resolver, and each of its addresses is a server.
     */
    public static List<InetSocketAddress> nameServers(List<Endpoint> endpoints) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(e.host());
            } catch (UnknownHostException ex) {
                throw new UnknownHostException("name server \"" + e + "\" of \"resolver\" could not be resolved: "
                        + ex.getMessage());
            }
            for (InetAddress a : addresses) {
                out.add(new InetSocketAddress(a, e.port()));
            }
        }
        return out;
    }

    @Override
    public CompletionStage<DnsAnswer> lookup(String name) {
        List<CompletableFuture<FamilyAnswer>> parts = new ArrayList<>(families.size());
        for (AddressFamily f : families) {
            CompletableFuture<FamilyAnswer> part = new CompletableFuture<>();
            ask(name, f.recordType(), new Reply<>() {
                @Override
                public FamilyAnswer answer(DnsResponse response) {
                    return FamilyAnswer.answer(f, AnswerRecords.addresses(response, name, f));
                }

                @Override
                public FamilyAnswer noSuchName() {
                    return FamilyAnswer.noSuchName(f);
                }

                @Override
                public FamilyAnswer failed(String detail) {
                    return FamilyAnswer.failed(f, detail);
                }
            }, part);
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> new DnsAnswer(name, parts.stream().map(CompletableFuture::join).toList()));
    }

    @Override
    public CompletionStage<SrvAnswer> lookupSrv(String name) {
        CompletableFuture<SrvAnswer> result = new CompletableFuture<>();
        ask(name, DnsRecordType.SRV, new Reply<>() {
            @Override
            public SrvAnswer answer(DnsResponse response) {
                return new SrvAnswer(FamilyAnswer.Outcome.ANSWER, AnswerRecords.services(response, name), "");
            }

            @Override
            public SrvAnswer noSuchName() {
                return new SrvAnswer(FamilyAnswer.Outcome.NO_SUCH_NAME, List.of(), "NXDOMAIN");
            }

            @Override
            public SrvAnswer failed(String detail) {
                return new SrvAnswer(FamilyAnswer.Outcome.FAILED, List.of(), detail);
            }
        }, result);
        return result;
    }

    /** What one kind of query makes of a NOERROR response, of NXDOMAIN, and of a failure. */
    private interface Reply<T> {
        T answer(DnsResponse response);

        T noSuchName();

        T failed(String detail);
    }

    private <T> void ask(String name, DnsRecordType type, Reply<T> reply, CompletableFuture<T> result) {
        int start = Math.floorMod(nextServer.getAndIncrement(), servers.size());
        ask(name, type, reply, start, 0, new ArrayList<>(), result);
    }

    private <T> void ask(String name, DnsRecordType type, Reply<T> reply, int start, int tried, List<String> failures,
            CompletableFuture<T> result) {
        InetSocketAddress server = servers.get((start + tried) % servers.size());
        if (closed) {
            result.complete(reply.failed("the resolver is closed"));
            return;
        }
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query;
        ResolverStats.Query kind = type.equals(DnsRecordType.SRV) ? ResolverStats.Query.SRV : ResolverStats.Query.NAME;
        counted(s -> s.asked(kind));
        try {
            query = resolver.query(server, new DefaultDnsQuestion(name, type));
        } catch (RuntimeException e) {
            counted(ResolverStats::failed);
            result.complete(reply.failed(text(server) + ": " + e));
            return;
        }
        query.addListener(done -> {
            String failure;
            if (done.isSuccess()) {
                AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = query.getNow();
                try {
                    DnsResponse response = envelope.content();
                    DnsResponseCode code = response.code();
                    counted(s -> s.answered(code.intValue()));
                    if (code.equals(DnsResponseCode.NOERROR)) {
                        result.complete(reply.answer(response));
                        return;
                    }
                    if (code.equals(DnsResponseCode.NXDOMAIN)) {
                        result.complete(reply.noSuchName());
                        return;
                    }
                    failure = text(server) + " answered " + rcodeName(code.intValue());
                } catch (RuntimeException e) {
                    // a NOERROR answer whose records could not be read: counted by its RCODE
                    failure = text(server) + " sent an unusable answer: " + e.getMessage();
                } finally {
                    envelope.release();
                }
            } else if (done.cause() instanceof DnsNameResolverTimeoutException) {
                counted(ResolverStats::timedOut);
                failure = text(server) + " did not answer within " + timeoutMs + " ms (resolver_timeout)";
            } else {
                counted(ResolverStats::failed);
                Throwable cause = done.cause();
                failure = text(server) + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
            }
            failures.add(failure);
            if (tried + 1 < servers.size()) {
                ask(name, type, reply, start, tried + 1, failures, result);
            } else {
                result.complete(reply.failed(String.join("; ", failures)));
            }
        });
    }

    /** Counts in the status zone, when there is one. */
    private void counted(Consumer<ResolverStats> count) {
        if (stats != null) {
            count.accept(stats);
        }
    }

    /** The RFC 1035 / 2136 mnemonic, as dig prints it. */
    static String rcodeName(int code) {
        return switch (code) {
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 9 -> "NOTAUTH";
            default -> "rcode " + code;
        };
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public String describe() {
        return servers.stream().map(NettyDnsLookup::text).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        closed = true;
        resolver.close();
    }
}
