package io.zonesync.http.core;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.net.AcceptErrors;
import io.zonesync.net.AddressText;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.Transport;
import io.zonesync.tls.ListenerTls;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a running node: listening sockets for an {@link HttpConfig}, their
 * connections, and the access log writer.
 *
 * <ul>
 * <li>{@link #start} binds every endpoint (port 0 binds an ephemeral port; read it back with
 *     {@link #boundAddress}) and opens the access logs; a failure closes what was bound and throws.</li>
 * <li>{@link #apply} switches to a new configuration atomically: new addresses are bound first
 *     (a failure leaves the old configuration serving, untouched), sockets whose address is
 *     unchanged are kept and serve the new configuration from their next request, removed ones
 *     are closed (their connections end after the request in flight). A request runs to its end
 *     on the configuration it started with.</li>
 * <li>{@link #shutdownGracefully} stops accepting, closes idle connections, lets requests in
 *     flight finish within a bound, then closes the rest; {@link #shutdownNow} closes everything.</li>
 * </ul>
 * Thread-safe; {@code apply} and the shutdowns are serialised.
 */
public final class HttpRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRuntime.class);
    /** Linux: IPPROTO_IPV6, IPV6_V6ONLY. nginx binds [::] for IPv6 only unless ipv6only=off. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
    /**
     * What the codec reads at most of a request line and of all header lines; the configured
     * {@code large_client_header_buffers} (at most this much) are checked on the decoded request.
     */
    static final int MAX_HEADER_BYTES = 256 * 1024;
    /**
     * The most bytes one read takes from a client. A connection stops reading while requests wait
     * (HttpConnection), but the codec decodes every request in the bytes already read: at most
     * this many bytes' worth. The smallest request (a request line and a blank line) takes 16 bytes,
     * so {@link #MAX_PIPELINE_DEPTH}, twice what one read can hold, is never reached: the codec's
     * own limit (128 by default) dropped clients that pipelined more than that at once.
     */
    private static final int MAX_READ = 64 * 1024;
    private static final int MAX_PIPELINE_DEPTH = 2 * MAX_READ / 16;

    private final Transport transport;
    private final boolean ownsTransport;
    private final ServerContext context;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private volatile HttpConfig config;
    private boolean stopped;

    private HttpRuntime(Transport transport, boolean ownsTransport, Clock clock, ConnectionLimit connectionLimit) {
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        this.context = new ServerContext(clock, new AccessLogWriter(),
                new DefaultChannelGroup("http-connections", GlobalEventExecutor.INSTANCE), connectionLimit);
    }

    /** Starts on a transport of its own (epoll when available), closed with the runtime. */
    public static HttpRuntime start(HttpConfig config) throws IOException {
        return start(config, Transport.create(0, "http"), true, Clock.systemUTC());
    }

    /**
     * Starts on a given transport (shared with other parts of the node; not closed by the runtime
     * unless {@code ownsTransport}) and clock (for $msec, $time_local, Date).
     */
    public static HttpRuntime start(HttpConfig config, Transport transport, boolean ownsTransport, Clock clock)
            throws IOException {
        return start(config, transport, ownsTransport, clock, ConnectionLimit.unlimited());
    }

    /** As above, with the node's {@code worker_connections}: listeners and client connections count against it. */
    public static HttpRuntime start(HttpConfig config, Transport transport, boolean ownsTransport, Clock clock,
            ConnectionLimit connectionLimit) throws IOException {
        HttpRuntime r = new HttpRuntime(transport, ownsTransport, clock, connectionLimit);
        try {
            r.apply(config);
        } catch (IOException | RuntimeException e) {
            r.shutdownNow();
            throw e;
        }
        return r;
    }

    /** The configuration being served. */
    public HttpConfig config() {
        return config;
    }

    /**
     * Serves {@code next} from now on; see the class comment. Throws, leaving the current
     * configuration serving, when a new address cannot be bound or an access log cannot be opened.
     */
    public synchronized void apply(HttpConfig next) throws IOException {
        if (stopped) {
            throw new IllegalStateException("the HTTP runtime is shut down");
        }
        context.logWriter.open(next.accessLogs());
        Map<String, ListenEndpoint> wanted = new LinkedHashMap<>();
        for (ListenEndpoint e : next.endpoints()) {
            wanted.put(e.address().key(), e);
        }
        List<Listener> added = new ArrayList<>();
        try {
            for (Map.Entry<String, ListenEndpoint> e : wanted.entrySet()) {
                if (!listeners.containsKey(e.getKey())) {
                    Listener l = new Listener(e.getValue().address(), new ListenerRoutes(next, e.getValue()));
                    bind(l, e.getValue().listen());
                    added.add(l);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Listener l : added) {
                closeListener(l);
            }
            throw e;
        }
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            ListenEndpoint ep = wanted.get(e.getKey());
            if (ep != null) {
                e.getValue().routes(new ListenerRoutes(next, ep));
            }
        }
        List<String> removed = new ArrayList<>();
        for (String key : listeners.keySet()) {
            if (!wanted.containsKey(key)) {
                removed.add(key);
            }
        }
        for (String key : removed) {
            Listener l = listeners.remove(key);
            l.retire();
            closeListener(l);
            drainConnectionsOf(l);
        }
        for (Listener l : added) {
            listeners.put(l.address().key(), l);
        }
        config = next;
        Set<Path> paths = new HashSet<>();
        for (AccessLog log : next.accessLogs()) {
            paths.add(log.path());
        }
        context.logWriter.retain(paths);
    }

    private void bind(Listener l, Listen listen) throws IOException {
        ListenAddress a = listen.address();
        ServerBootstrap b = new ServerBootstrap().group(transport.group());
        SocketAddress bindTo;
        if (a.isUnix()) {
            b.channel(transport.unixServerChannel());
            removeStaleSocket(a.unixPath());
            bindTo = new DomainSocketAddress(a.unixPath().toString());
        } else {
            b.channel(transport.tcpServerChannel());
            b.option(ChannelOption.SO_REUSEADDR, true);
            b.childOption(ChannelOption.TCP_NODELAY, true);
            if (listen.reusePort() && transport.reusePortOption() != null) {
                b.option(transport.reusePortOption(), true);
            }
            if (transport.isEpoll() && a.ip() instanceof Inet6Address && a.isWildcard()) {
                b.option(IPV6_V6ONLY, listen.ipv6only() == null || listen.ipv6only() ? 1 : 0);
            }
            if (listen.receiveBuffer() > 0) {
                b.option(ChannelOption.SO_RCVBUF, listen.receiveBuffer());
            }
            if (listen.sendBuffer() > 0) {
                b.childOption(ChannelOption.SO_SNDBUF, listen.sendBuffer());
            }
            bindTo = a.socketAddress();
        }
        b.option(ChannelOption.SO_BACKLOG, listen.backlog());
        b.childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ));
        b.handler(AcceptErrors.on(a.key(), transport));
        b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!context.connectionLimit.admitClient(ch)) {
                    context.connectionLimit.stats().dropped(ch);
                    ch.close();
                    return;
                }
                context.connectionLimit.stats().accepted(ch);
                ListenEndpoint endpoint = l.routes().endpoint();
                ListenerTls tls = endpoint.tls();
                Http2Options http2 = endpoint.http2();
                ConnectionPipelines pipelines = new ConnectionPipelines(l, context, MAX_PIPELINE_DEPTH);
                if (endpoint.proxyProtocolFor(ch.localAddress())) {
                    ch.pipeline().addLast("proxy-protocol",
                            new ProxyProtocolReader(AddressText.hostPort(l.boundAddress())));
                }
                if (tls != null) {
                    ch.pipeline().addLast("plain-http", new PlainHttpOnTlsPort());
                    tls.install(ch, context.connectionLimit.stats().handshakes());
                }
                if (http2 == null) {
                    pipelines.http1(ch.pipeline());
                } else if (tls != null) {
                    context.connections.add(ch); // counted while the handshake runs
                    ch.pipeline().addLast("alpn", new AlpnChoice(pipelines, http2));
                } else if (http2.cleartextOnly()) {
                    pipelines.http2(ch.pipeline(), http2, "h2c");
                } else {
                    context.connections.add(ch);
                    ch.pipeline().addLast("preface", new PrefaceChoice(pipelines, http2));
                }
            }
        });
        ChannelFuture f = b.bind(bindTo).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw new IOException("bind() to " + a.key() + " failed (" + (c == null ? "?" : c.getMessage()) + ")", c);
        }
        l.channel(f.channel());
        context.connectionLimit.listening(f.channel());
        LOG.debug("listening on {} ({})", a.key(), f.channel().localAddress());
    }

    private static void removeStaleSocket(Path path) throws IOException {
        if (Files.exists(path)) {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isOther()) {
                Files.delete(path);
            } else {
                throw new IOException("bind() to unix:" + path + " failed (the path exists and is not a socket)");
            }
        }
    }

    private void closeListener(Listener l) {
        Channel c = l.channel();
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
        if (l.address().isUnix()) {
            try {
                Files.deleteIfExists(l.address().unixPath());
            } catch (IOException e) {
                LOG.warn("could not remove unix socket {}: {}", l.address().unixPath(), e.getMessage());
            }
        }
    }

    private void drainConnectionsOf(Listener l) {
        for (Channel ch : context.connections) {
            ClientConnection conn = ch.pipeline().get(ClientConnection.class);
            if (conn != null && conn.listener() == l) {
                ch.eventLoop().execute(conn::drain);
            }
        }
    }

    /**
     * The address a listen key ({@link ListenAddress#key()}, e.g. {@code 127.0.0.1:0}) is bound to:
     * an {@link InetSocketAddress} with the real port, or a {@link DomainSocketAddress}; null if
     * no such listener.
     */
    public SocketAddress boundAddress(String key) {
        Listener l;
        synchronized (this) {
            l = listeners.get(key);
        }
        return l == null ? null : l.boundAddress();
    }

    /** The bound port of a TCP listen key; -1 if none. */
    public int boundPort(String key) {
        return boundAddress(key) instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /** Every listener: configured key to bound address, in configuration order. */
    public synchronized Map<String, SocketAddress> boundAddresses() {
        Map<String, SocketAddress> out = new LinkedHashMap<>();
        listeners.forEach((k, l) -> out.put(k, l.boundAddress()));
        return out;
    }

    /** Open connections (idle keep-alive ones included). */
    public int openConnections() {
        return context.connections.size();
    }

    /** USR1: reopen the access log files. */
    public void reopenLogs() {
        context.logWriter.reopen();
    }

    /** Waits until the access log lines queued so far are on disk (tests, shutdown). */
    public void flushLogs() throws InterruptedException {
        context.logWriter.sync();
    }

    /**
     * QUIT: stops accepting, closes idle connections, waits up to {@code grace} for requests in
     * flight to finish, then closes what is left. Returns whether everything finished in time.
     */
    public boolean shutdownGracefully(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return true;
            }
            stopped = true;
            context.draining = true;
            listeners.values().forEach(this::closeListener);
            listeners.clear();
        }
        ChannelGroup open = context.connections;
        for (Channel ch : open) {
            ClientConnection conn = ch.pipeline().get(ClientConnection.class);
            if (conn != null) {
                ch.eventLoop().execute(conn::drain);
            }
        }
        boolean inTime = open.newCloseFuture().awaitUninterruptibly(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (!inTime) {
            LOG.warn("{} connections still busy after {} ms of graceful shutdown; closing them", open.size(),
                    grace.toMillis());
            open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        finish();
        return inTime;
    }

    /** TERM: closes listeners and connections now. */
    public void shutdownNow() {
        synchronized (this) {
            if (stopped && listeners.isEmpty() && context.connections.isEmpty()) {
                finish();
                return;
            }
            stopped = true;
            context.draining = true;
            listeners.values().forEach(this::closeListener);
            listeners.clear();
        }
        context.connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        finish();
    }

    private void finish() {
        context.logWriter.close();
        if (ownsTransport) {
            transport.close();
        }
    }

    @Override
    public void close() {
        shutdownNow();
    }
}
