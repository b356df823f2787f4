package io.zonesync.stream.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.net.AcceptErrors;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.ProxyHeader;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamListen;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream proxy servers at run time: binds their listeners and runs each accepted
 * connection (or, on a UDP listener, each new client address) through nginx's stream phases (PROXY protocol header if the listener wants one,
 * preaccess, access, content; the log phase once the client connection closes). A reload keeps
 * the listeners whose address stays and hands them the new configuration (sessions in flight keep
 * the old one); listeners no longer configured close, their sessions run to their end.
 */
public final class StreamRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRuntime.class);

    private final Transport transport;
    private final ConnectionLimit connections;
    private final Clock clock;
    private final AtomicLong serial = new AtomicLong();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private StreamConfig config = StreamConfig.EMPTY;

    /** A bound listener and the server it serves now. */
    private static final class Listener {
        final StreamListen listen;
        volatile StreamServer server;
        Channel channel;

        Listener(StreamListen listen, StreamServer server) {
            this.listen = listen;
            this.server = server;
        }
    }

    public StreamRuntime(Transport transport, ConnectionLimit connections, Clock clock) {
        this.transport = transport;
        this.connections = connections;
        this.clock = clock;
    }

    /** Serves {@code next} from now on; throws, keeping the current one, if a new address cannot be bound. */
    public synchronized void apply(StreamConfig next) throws IOException {
        Map<String, StreamServer> wanted = new LinkedHashMap<>();
        Map<String, StreamListen> listens = new HashMap<>();
        for (StreamServer s : next.servers()) {
            for (StreamListen l : s.conf().listens()) {
                wanted.put(key(l), s);
                listens.put(key(l), l);
            }
        }
        Map<String, Listener> added = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, StreamServer> e : wanted.entrySet()) {
                if (!listeners.containsKey(e.getKey())) {
                    Listener l = new Listener(listens.get(e.getKey()), e.getValue());
                    bind(l);
                    added.put(e.getKey(), l);
                }
            }
        } catch (IOException | RuntimeException e) {
            added.values().forEach(l -> l.channel.close());
            throw e;
        }
        for (var it = listeners.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            StreamServer s = wanted.get(e.getKey());
            if (s == null) {
                e.getValue().channel.close();
                it.remove();
            } else {
                e.getValue().server = s;
            }
        }
        listeners.putAll(added);
        StreamConfig previous = config;
        config = next;
        closeResources(previous);
    }

    private static String key(StreamListen l) {
        return l.endpoint() + (l.udp() ? " udp" : "");
    }

    private void bind(Listener l) throws IOException {
        StreamListen listen = l.listen;
        SocketAddress address = listen.endpoint().bindAddress();
        if (listen.udp()) {
            bindUdp(l, address);
            return;
        }
        ServerBootstrap b = new ServerBootstrap().group(transport.group()).channel(transport.serverChannel(address));
        if (!listen.endpoint().isUnix()) {
            b.option(ChannelOption.SO_REUSEADDR, true);
            b.childOption(ChannelOption.TCP_NODELAY, true);
            keepAlive(b, listen.keepalive());
        }
        b.option(ChannelOption.SO_BACKLOG, listen.backlog());
        b.childOption(ChannelOption.AUTO_READ, false);
        b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        b.handler(AcceptErrors.on(listen.endpoint().toString(), transport));
        b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                accepted(ch, l);
            }
        });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw new IOException("bind() to " + listen.endpoint() + " failed (" + (c == null ? "?" : c.getMessage())
                    + ")", c);
        }
        l.channel = f.channel();
        connections.listening(f.channel());
    }

    /**
     * A UDP listener: the datagrams of one client address make one session, which runs on the
     * listener's event loop until its content handler ends it.
     */
    private void bindUdp(Listener l, SocketAddress address) throws IOException {
        Bootstrap b = new Bootstrap().group(transport.group()).channel(transport.datagramChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new UdpListener(l));
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw new IOException("bind() to " + l.listen.endpoint() + " udp failed ("
                    + (c == null ? "?" : c.getMessage()) + ")", c);
        }
        l.channel = f.channel();
        connections.listening(f.channel());
    }

    /** Hands each datagram to its client's session, starting one for a new client. */
    private final class UdpListener extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Listener listener;
        private final Map<InetSocketAddress, StreamSession> sessions = new HashMap<>();

        UdpListener(Listener listener) {
            super(false);
            this.listener = listener;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress from = packet.sender();
            StreamSession s = sessions.get(from);
            if (s == null) {
                if (!connections.takeClientSlot()) {
                    connections.stats().dropped(ctx.channel());
                    packet.release();
                    return;
                }
                StreamServer server = listener.server;
                s = new StreamSession(ctx.channel(), from, () -> {
                    sessions.remove(from);
                    connections.release();
                }, server, serial.incrementAndGet(), clock, transport, connections);
                sessions.put(from, s);
                s.received(packet.content());
                run(s);
                return;
            }
            s.received(packet.content());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (StreamSession s : List.copyOf(sessions.values())) {
                s.finish(200);
            }
        }
    }

    private void keepAlive(ServerBootstrap b, StreamListen.KeepAlive k) {
        if (k == null) {
            return;
        }
        b.childOption(ChannelOption.SO_KEEPALIVE, k.on());
        if (transport.isEpoll()) {
            if (k.idleSeconds() > 0) {
                b.childOption(EpollChannelOption.TCP_KEEPIDLE, k.idleSeconds());
            }
            if (k.intervalSeconds() > 0) {
                b.childOption(EpollChannelOption.TCP_KEEPINTVL, k.intervalSeconds());
            }
            if (k.count() > 0) {
                b.childOption(EpollChannelOption.TCP_KEEPCNT, k.count());
            }
        }
    }

    private void accepted(Channel ch, Listener l) {
        if (!connections.admitClient(ch)) {
            connections.stats().dropped(ch);
            ch.close();
            return;
        }
        connections.stats().accepted(ch);
        StreamServer server = l.server;
        StreamSession s = new StreamSession(ch, server, serial.incrementAndGet(), clock, transport, connections,
                l.listen.ssl());
        ch.closeFuture().addListener(f -> s.ended());
        if (l.listen.proxyProtocol()) {
            ch.pipeline().addLast("proxy-protocol", new HAProxyMessageDecoder());
            ch.pipeline().addLast("proxy-header", new HeaderReader(s));
            ch.read();
        } else {
            ch.eventLoop().execute(() -> run(s));
        }
    }

    /** Runs the phases up to content: the first handler that returns a status ends the session with it. */
    private static void run(StreamSession s) {
        if (!s.isOpen()) {
            return;
        }
        for (List<StreamHandler> phase : List.of(s.server().preaccess(), s.server().access())) {
            for (StreamHandler h : phase) {
                int status = h.handle(s);
                if (status != StreamHandler.CONTINUE) {
                    s.finish(status);
                    return;
                }
            }
        }
        if (s.tlsListener()) {
            handshake(s);
        } else {
            preread(s, 0);
        }
    }

    /** The ssl phase: the TLS handshake of an {@code ssl} listener (ssl_handshake_timeout), then preread. */
    private static void handshake(StreamSession s) {
        SslHandler tls = s.server().tls().newHandler(s.client());
        s.client().pipeline().addLast("tls", tls);
        s.client().pipeline().addLast("tls-count", s.server().tls().counter(s.connections().stats().handshakes()));
        // with half-closure allowed, a client that goes away mid-handshake only ends its input
        ChannelInboundHandlerAdapter eof = new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    s.finish(500);
                }
                ctx.fireUserEventTriggered(evt);
            }
        };
        s.client().pipeline().addLast("tls-eof", eof);
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                s.client().pipeline().remove(eof);
                preread(s, 0);
            } else {
                LOG.info("SSL handshake failed ({}) while SSL handshaking, client: {}, server: {}",
                        f.cause().getMessage(), s.clientText(), s.serverText());
                s.finish(500); // as nginx ends a session whose handshake failed
            }
        });
        s.client().read();
    }

    /** The preread handlers from the {@code i}th, each when the one before has read what it needs; then content. */
    private static void preread(StreamSession s, int i) {
        if (!s.isOpen()) {
            return;
        }
        List<StreamPreread> handlers = s.server().preread();
        if (i == handlers.size()) {
            s.server().content().serve(s);
        } else {
            handlers.get(i).preread(s, () -> preread(s, i + 1));
        }
    }

    /**
     * Waits for the PROXY protocol header (at most {@code proxy_protocol_timeout}), keeps its
     * addresses and whatever the client sent after it, then runs the phases.
     */
    private static final class HeaderReader extends ChannelInboundHandlerAdapter {
        private final StreamSession session;
        private ScheduledFuture<?> timeout;

        HeaderReader(StreamSession session) {
            this.session = session;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> {
                LOG.error("client timed out while reading PROXY protocol header, client: {}",
                        session.remoteAddress());
                session.finish(400);
            }, session.server().proxyProtocolTimeoutMs(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage m) {
                try {
                    if (m.sourceAddress() != null) {
                        session.proxyHeader(new ProxyHeader(m.sourceAddress(), m.sourcePort(), m.destinationAddress(),
                                m.destinationPort()));
                    }
                } finally {
                    m.release();
                }
                timeout.cancel(false);
                ctx.pipeline().remove(this);
                run(session);
            } else if (msg instanceof ByteBuf) {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            timeout.cancel(false);
            LOG.error("broken header while reading PROXY protocol, client: {}", session.remoteAddress());
            session.finish(400);
        }
    }

    /** The bound addresses, by listen address as written (port 0 resolved), for tests. */
    public synchronized Map<String, SocketAddress> boundAddresses() {
        Map<String, SocketAddress> out = new LinkedHashMap<>();
        listeners.forEach((k, l) -> out.put(k, l.channel.localAddress()));
        return out;
    }

    /** Closes the listeners; sessions in flight go on until their end or until the event loops stop. */
    @Override
    public synchronized void close() {
        listeners.values().forEach(l -> l.channel.close().syncUninterruptibly());
        listeners.clear();
        closeResources(config);
        config = StreamConfig.EMPTY;
    }

    private static void closeResources(StreamConfig c) {
        for (AutoCloseable r : c.resources()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", r, e);
            }
        }
    }
}
