package io.zonesync.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A name server for tests, on a loopback address and a port the kernel picks, over UDP and TCP (the
 * same port). A test sets a name's A/AAAA (or SRV) records and their TTL, makes names aliases, removes names
 * (NXDOMAIN), and can make the server stop answering ({@link Mode#SILENT}), or stop answering
 * questions about some names ({@link #drop}), or answer SERVFAIL, REFUSED, FORMERR or NOTIMP. Every question is recorded, so a test can check what was asked, and of whom.
 */
public final class TestDnsServer implements AutoCloseable {

    /** How the server treats questions. */
    public enum Mode { ANSWER, SILENT, SERVFAIL, REFUSED, FORMERR, NOTIMP }

    /** A question as received: {@code "A cluster.test"}, and whether it came over TCP. */
    public record Question(String type, String name, boolean tcp) {
    }

    private record Rec(InetAddress address, long ttl) {
    }

    private record Alias(String target, long ttl) {
    }

    private final Map<String, List<Rec>> names = new ConcurrentHashMap<>();
    private final Map<String, Alias> aliases = new ConcurrentHashMap<>();
    private final Map<String, List<Srv>> services = new ConcurrentHashMap<>();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private volatile long srvTtl;

    /** One SRV record: {@code target:port} with a priority and a weight. */
    public record Srv(int priority, int weight, int port, String target) {
    }
    private final List<Question> questions = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel tcp;
    private volatile Mode mode = Mode.ANSWER;
    private volatile boolean truncateUdp;

    private TestDnsServer(EventLoopGroup group, Channel udp, Channel tcp) {
        this.group = group;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts a server on 127.0.0.1. */
    public static TestDnsServer start() {
        return start(InetAddress.getLoopbackAddress());
    }

    public static TestDnsServer start(InetAddress bind) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-dns", true),
                NioIoHandler.newFactory());
        TestDnsServer[] self = new TestDnsServer[1];
        Responder responder = new Responder(self);
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new ChannelInitializer<NioDatagramChannel>() {
                            @Override
                            protected void initChannel(NioDatagramChannel ch) {
                                ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                        responder.udp());
                            }
                        })
                        .bind(new InetSocketAddress(bind, 0)).syncUninterruptibly().channel();
                int port = ((InetSocketAddress) udp.localAddress()).getPort();
                var tcpBind = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                        responder.tcp());
                            }
                        })
                        .bind(new InetSocketAddress(bind, port)).awaitUninterruptibly();
                if (tcpBind.isSuccess()) {
                    self[0] = new TestDnsServer(group, udp, tcpBind.channel());
                    return self[0];
                }
                udp.close().syncUninterruptibly(); // the TCP port was taken: try another
            }
            throw new IllegalStateException("no port on " + bind + " was free for both UDP and TCP in 20 attempts");
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** Replaces {@code name}'s records with A/AAAA records for these address literals; none means NODATA. */
    public TestDnsServer records(String name, long ttlSeconds, String... addresses) {
        List<Rec> recs = new ArrayList<>();
        for (String a : addresses) {
            recs.add(new Rec(literal(a), ttlSeconds));
        }
        names.put(key(name), List.copyOf(recs));
        return this;
    }

    /** Replaces {@code name}'s SRV records (a service name such as {@code _http._tcp.example.test}); none means NODATA. */
    public TestDnsServer srv(String name, long ttlSeconds, Srv... records) {
        services.put(key(name), List.of(records));
        srvTtl = ttlSeconds;
        return this;
    }

    /** Makes {@code alias} a CNAME of {@code target}. */
    public TestDnsServer alias(String alias, String target, long ttlSeconds) {
        aliases.put(key(alias), new Alias(key(target), ttlSeconds));
        return this;
    }

    /** Removes the name: questions about it get NXDOMAIN. */
    public TestDnsServer remove(String name) {
        names.remove(key(name));
        aliases.remove(key(name));
        return this;
    }

    /** Questions about {@code name} get no answer at all (the client times out); other names are answered. */
    public TestDnsServer drop(String name) {
        dropped.add(key(name));
        return this;
    }

    public TestDnsServer mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Answers over UDP with an empty truncated reply, so the client must ask again over TCP. */
    public TestDnsServer truncateUdp(boolean on) {
        this.truncateUdp = on;
        return this;
    }

    public List<Question> questions() {
        return List.copyOf(questions);
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static InetAddress literal(String text) {
        if (!text.isEmpty() && Character.digit(text.charAt(0), 16) < 0 && text.charAt(0) != ':') {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address literal");
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address literal", e);
        }
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Fills {@code response} for {@code query}; false when the server stays silent. */
    boolean answer(DnsQuery query, DnsResponse response, boolean overTcp) {
        DnsQuestion q = query.recordAt(DnsSection.QUESTION);
        questions.add(new Question(q.type().name(), key(q.name()), overTcp));
        Mode m = mode;
        if (m == Mode.SILENT || dropped.contains(key(q.name()))) {
            return false;
        }
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
        response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true)
                .setAuthoritativeAnswer(true);
        if (m != Mode.ANSWER) {
            response.setCode(m == Mode.SERVFAIL ? DnsResponseCode.SERVFAIL : m == Mode.REFUSED ? DnsResponseCode.REFUSED
                    : m == Mode.FORMERR ? DnsResponseCode.FORMERR : DnsResponseCode.NOTIMP);
            return true;
        }
        String name = key(q.name());
        String owner = q.name();
        Alias alias = aliases.get(name);
        if (alias != null) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(owner, DnsRecordType.CNAME, alias.ttl(),
                    wireName(alias.target())));
            name = alias.target();
            owner = alias.target() + ".";
        }
        List<Srv> srvs = services.get(name);
        if (srvs != null && q.type() == DnsRecordType.SRV) {
            for (Srv r : srvs) {
                ByteBuf data = Unpooled.buffer().writeShort(r.priority()).writeShort(r.weight()).writeShort(r.port())
                        .writeBytes(wireName(r.target()));
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(owner, DnsRecordType.SRV, srvTtl, data));
            }
            return true;
        }
        List<Rec> recs = names.get(name);
        if (recs == null && srvs != null) {
            return true; // the service name exists: NODATA for other types
        }
        if (recs == null) {
            response.setCode(alias == null ? DnsResponseCode.NXDOMAIN : DnsResponseCode.NOERROR);
            return true;
        }
        if (!overTcp && truncateUdp && !recs.isEmpty()) {
            response.setTruncated(true);
            return true;
        }
        int length = q.type() == DnsRecordType.A ? 4 : q.type() == DnsRecordType.AAAA ? 16 : -1;
        for (Rec r : recs) {
            byte[] bytes = r.address().getAddress();
            if (bytes.length == length) {
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(owner, q.type(), r.ttl(),
                        Unpooled.wrappedBuffer(bytes)));
            }
        }
        return true;
    }

    private static ByteBuf wireName(String name) {
        ByteBuf out = Unpooled.buffer();
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(b.length).writeBytes(b);
        }
        return out.writeByte(0);
    }

    /** The pipeline ends for both transports; the server is set once it is bound. */
    private record Responder(TestDnsServer[] server) {
        SimpleChannelInboundHandler<DatagramDnsQuery> udp() {
            return new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                    DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
                    send(ctx, query, response, false);
                }
            };
        }

        SimpleChannelInboundHandler<DnsQuery> tcp() {
            return new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
                    send(ctx, query, new DefaultDnsResponse(query.id()), true);
                }
            };
        }

        private void send(ChannelHandlerContext ctx, DnsQuery query, DnsResponse response, boolean overTcp) {
            TestDnsServer s = server[0];
            if (s != null && s.answer(query, response, overTcp)) {
                ctx.writeAndFlush(response);
            } else {
                response.release();
            }
        }
    }
}
