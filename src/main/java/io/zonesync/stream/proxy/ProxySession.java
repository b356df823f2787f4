package io.zonesync.stream.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.handler.ssl.SslHandler;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.Outcome;
import io.zonesync.http.upstream.Peer;
import io.zonesync.net.AddressText;
import io.zonesync.net.LocalBind;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.UpstreamAttempt;
import io.zonesync.stream.upstream.StreamUpstreams;
import io.zonesync.tls.HandshakeCount;
import io.zonesync.tls.UpstreamTls;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection: chooses a server of the group, connects (on failure, the next server
 * while {@code proxy_next_upstream} allows), sends a PROXY protocol header if asked, completes a
 * TLS handshake with {@code proxy_ssl} (a failed one counts as a failed attempt), then relays
 * bytes both ways ({@link Relay}). A side that stops reading (end of its input) ends the session
 * once what it sent is flushed, unless {@code proxy_half_close} passes the half-close on; the
 * session also ends after {@code proxy_timeout} without traffic. Confined to the client's event loop.
 */
final class ProxySession {
    private static final Logger LOG = LoggerFactory.getLogger(ProxySession.class);

    private final StreamSession session;
    private final ProxySettings settings;
    private final ProxyTarget target;
    private final List<ByteBuf> early = new ArrayList<>();
    private StreamUpstreams.Group group;
    private Attempts attempts;
    private int tries;
    private Relay fromClient;
    private Relay fromUpstream;
    private Channel upstream;
    private Peer peer;
    private UpstreamAttempt attempt;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;
    private boolean closed;

    ProxySession(StreamSession session, ProxySettings settings, ProxyTarget target) {
        this.session = session;
        this.settings = settings;
        this.target = target;
    }

    void start() {
        Channel client = session.client();
        fromClient = new Relay(this, settings.uploadRate());
        client.config().setRecvByteBufAllocator(new CappedAllocator(settings.bufferSize(), fromClient::allowance));
        client.config().setWriteBufferWaterMark(waterMark());
        client.pipeline().addLast("stream-proxy", fromClient);
        session.onClose(this::clientClosed);
        ByteBuf preread = session.takePreread();
        if (preread != null) {
            session.addReceived(preread.readableBytes()); // counted when relayed, as nginx counts it
            early.add(preread);
        }
        target.choose(session, chosen -> {
            group = chosen;
            attempts = group.group().newAttempts();
            connect();
        }, why -> {
            LOG.error("{} while connecting to upstream, client: {}, server: {}", why, session.clientText(),
                    session.serverText());
            session.finish(502);
        });
    }

    private WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(settings.bufferSize() / 2, settings.bufferSize());
    }

    private void connect() {
        if (closed) {
            return;
        }
        String key = group.hashKey() == null ? null : group.hashKey().evaluate(session);
        peer = group.group().selectFor(attempts, session.remoteAddress(), key);
        if (peer == null) {
            LOG.error("no live upstreams while connecting to upstream, client: {}, server: {}, upstream: \"{}\"",
                    session.clientText(), session.serverText(),
                    group.group().name());
            session.finish(502);
            return;
        }
        if (!session.connections().takeClientSlot()) {
            group.group().release(peer, Outcome.OK, attempts);
            peer = null;
            session.finish(502);
            return;
        }
        tries++;
        attempt = new UpstreamAttempt(peer.addressText());
        session.upstreams().add(attempt);
        long started = System.nanoTime();
        SocketAddress address = peer.spec().address();
        Relay relay = new Relay(this, settings.downloadRate());
        fromUpstream = relay;
        Bootstrap b = new Bootstrap().group(session.client().eventLoop())
                .channel(session.transport().clientChannel(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeoutMs()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, settings.socketKeepalive())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new CappedAllocator(settings.bufferSize(), relay::allowance))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(fromUpstream);
        LocalBind local = settings.bindFor(session);
        ChannelFuture f = local == null ? b.connect(address) : local.connect(b, address);
        Peer tried = peer;
        f.addListener(done -> {
            if (done.isSuccess()) {
                connected(f.channel(), tried, started);
            } else {
                failed(tried, done.cause());
            }
        });
    }

    /** The TCP connect failed: its connection slot was never held. */
    private void failed(Peer tried, Throwable cause) {
        session.connections().release();
        if (cause instanceof LocalBind.BindFailed) {
            // as nginx: the server is not to blame, and no other is tried
            group.group().release(tried, Outcome.OK, attempts);
            peer = null;
            if (closed) {
                return;
            }
            BindFailure.end(session, cause, tried.addressText());
            return;
        }
        next(tried, "connect() failed (" + (cause == null ? "?" : cause.getMessage()) + ")", "connecting to upstream");
    }

    /**
     * The attempt on {@code tried} failed ({@code why}, while {@code doing}): the next server while
     * proxy_next_upstream allows, else 502.
     */
    private void next(Peer tried, String why, String doing) {
        if (attempt != null) {
            attempt.ended();
        }
        group.group().release(tried, Outcome.FAILED, attempts);
        peer = null;
        if (closed) {
            return;
        }
        LOG.error("{} while {}, client: {}, server: {}, upstream: \"{}\"", why, doing,
                session.clientText(), session.serverText(), tried.addressText());
        boolean triesLeft = settings.nextUpstreamTries() == 0 || tries < settings.nextUpstreamTries();
        boolean timeLeft = settings.nextUpstreamTimeoutMs() == 0
                || session.elapsedMs() < settings.nextUpstreamTimeoutMs();
        if (settings.nextUpstream() && triesLeft && timeLeft) {
            connect();
        } else {
            session.finish(502);
        }
    }

    private void connected(Channel ch, Peer tried, long started) {
        session.connections().holdUntilClosed(ch);
        if (closed) {
            ch.close();
            group.group().release(tried, Outcome.OK, attempts);
            return;
        }
        if (settings.proxyProtocol()) {
            // before TLS, as nginx sends it
            byte[] header = proxyHeader().getBytes(StandardCharsets.US_ASCII);
            send(ch, Unpooled.wrappedBuffer(header), false);
            ch.flush();
        }
        if (settings.tls() == null) {
            relay(ch, started);
            return;
        }
        String name = settings.sslName() != null ? settings.sslName() : sslHost();
        InetSocketAddress remote = tried.spec().address();
        SslHandler tls = settings.tls().newHandler(ch.alloc(), name, remote.getAddress() == null
                ? remote.getHostString() : remote.getAddress().getHostAddress(), remote.getPort(),
                settings.connectTimeoutMs());
        ch.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(f -> {
            if (!closed) { // else the client's end closed it, not the server
                HandshakeCount.dialled(tls, f.cause(), group.group().handshakes(tried),
                        session.connections().stats().handshakes());
            }
            if (f.isSuccess()) {
                relay(ch, started);
            } else {
                ch.close();
                next(tried, UpstreamTls.failureWords(f.cause(), name), "SSL handshaking to upstream");
            }
        });
    }

    /** The name TLS sends and checks by default: the host of {@code proxy_pass}'s upstream or address. */
    private String sslHost() {
        String name = group.group().name();
        HostPort hp = HostPort.parse(name, 0);
        return hp == null ? name : hp.host();
    }

    private void relay(Channel ch, long started) {
        if (closed) {
            return;
        }
        upstream = ch;
        attempt.connected((System.nanoTime() - started) / 1_000_000);
        ch.closeFuture().addListener(f -> upstreamClosed());
        for (ByteBuf b : early) {
            send(ch, b, false);
        }
        early.clear();
        ch.flush();
        touch();
        idleTimer = ch.eventLoop().schedule(this::checkIdle, settings.timeoutMs(), TimeUnit.MILLISECONDS);
        fromUpstream.updateReading();
        fromClient.updateReading();
        if (fromClient.ended()) {
            inputEnded(fromClient);
        }
    }

    /** The PROXY protocol v1 line for the client connection. */
    private String proxyHeader() {
        if (session.remoteAddress() instanceof InetSocketAddress src
                && session.localAddress() instanceof InetSocketAddress dst && src.getAddress() != null
                && dst.getAddress() != null) {
            String family = src.getAddress() instanceof Inet6Address ? "TCP6" : "TCP4";
            return "PROXY " + family + " " + AddressText.ip(src.getAddress()) + " " + AddressText.ip(dst.getAddress())
                    + " " + src.getPort() + " " + dst.getPort() + "\r\n";
        }
        return "PROXY UNKNOWN\r\n";
    }

    // ---- called by the relays

    /** Bytes read from one side: counted, then queued to the other (or kept until connected). */
    void read(Relay from, ByteBuf data) {
        int n = data.readableBytes();
        touch();
        if (from == fromClient) {
            session.addReceived(n);
            if (upstream == null) {
                early.add(data);
                return;
            }
            send(upstream, data, false);
        } else {
            attempt.addReceived(n);
            send(session.client(), data, true);
        }
    }

    private void send(Channel to, ByteBuf data, boolean toClient) {
        int n = data.readableBytes();
        UpstreamAttempt a = attempt;
        to.write(data).addListener(f -> {
            if (f.isSuccess()) {
                touch();
                if (toClient) {
                    session.addSent(n);
                } else {
                    a.addSent(n);
                }
            }
        });
    }

    void flush(Relay from) {
        Channel to = other(from);
        if (to != null) {
            to.flush();
        }
    }

    /** The channel the relay's data goes to, null before the upstream connection is made. */
    Channel other(Relay from) {
        return from == fromClient ? upstream : session.client();
    }

    Relay otherRelay(Relay from) {
        return from == fromClient ? fromUpstream : fromClient;
    }

    boolean relaying() {
        return upstream != null && !closed;
    }

    /** One side has sent all it will: end the session, or with proxy_half_close pass the half-close on. */
    void inputEnded(Relay from) {
        Channel to = other(from);
        if (to == null) {
            return; // the client's end, before the upstream connection: passed on once connected
        }
        ChannelFuture flushed = to.writeAndFlush(Unpooled.EMPTY_BUFFER);
        if (!settings.halfClose() || otherRelay(from).ended()) {
            flushed.addListener(f -> session.finish(200));
        } else {
            flushed.addListener(f -> {
                if (to instanceof DuplexChannel d && to.isActive()) {
                    d.shutdownOutput();
                }
            });
        }
    }

    private void upstreamClosed() {
        if (!closed) {
            session.client().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> session.finish(200));
        }
    }

    private void clientClosed() {
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        for (ByteBuf b : early) {
            b.release();
        }
        early.clear();
        if (upstream != null) {
            upstream.close();
            group.group().account(peer, 0, attempt.sent(), attempt.received());
            group.group().timedConnection(peer, attempt.connectMs(), attempt.firstByteMs(), attempt.elapsedMs());
            group.group().release(peer, Outcome.OK, attempts);
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void checkIdle() {
        if (closed) {
            return;
        }
        long idle = (System.nanoTime() - lastActivity) / 1_000_000;
        if (idle >= settings.timeoutMs()) {
            LOG.info("timed out ({} ms without traffic) while proxying connection, client: {}, server: {},"
                    + " upstream: \"{}\"", settings.timeoutMs(), session.clientText(),
                    session.serverText(), attempt.address());
            session.finish(200);
        } else {
            idleTimer = upstream.eventLoop().schedule(this::checkIdle, settings.timeoutMs() - idle,
                    TimeUnit.MILLISECONDS);
        }
    }

    long elapsedMs() {
        return session.elapsedMs();
    }
}
