package io.zonesync.stream.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.Outcome;
import io.zonesync.http.upstream.Peer;
import io.zonesync.net.LocalBind;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.UpstreamAttempt;
import io.zonesync.stream.upstream.StreamUpstreams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied UDP session: the client's datagrams go to one server of the group over a socket of
 * their own, the server's come back to the client from the listener. The session ends once the
 * server has sent {@code proxy_responses} datagrams for each of the client's (right after the
 * client's datagram is sent with {@code proxy_responses 0}), after {@code proxy_timeout} without a
 * datagram either way, or with 502 when the server refuses (an ICMP port unreachable) before it
 * answered. Confined to the listener's event loop.
 */
final class UdpProxySession {
    private static final Logger LOG = LoggerFactory.getLogger(UdpProxySession.class);

    private final StreamSession session;
    private final ProxySettings settings;
    private final ProxyTarget target;
    private final List<ByteBuf> pending = new ArrayList<>();
    private StreamUpstreams.Group group;
    private Attempts attempts;
    private Channel upstream;
    private Peer peer;
    private UpstreamAttempt attempt;
    private long fromClient;
    private long responses;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;
    private boolean failed;

    UdpProxySession(StreamSession session, ProxySettings settings, ProxyTarget target) {
        this.session = session;
        this.settings = settings;
        this.target = target;
    }

    void start() {
        session.onClose(this::ended);
        target.choose(session, this::begin, why -> {
            LOG.error("{} while connecting to upstream, udp client: {}, server: {}", why, session.clientText(),
                    session.serverText());
            session.finish(502);
        });
    }

    /** The session's group is known: a server is chosen and the datagrams flow. */
    private void begin(StreamUpstreams.Group chosen) {
        if (!session.isOpen()) {
            return;
        }
        group = chosen;
        attempts = group.group().newAttempts();
        String key = group.hashKey() == null ? null : group.hashKey().evaluate(session);
        peer = group.group().selectFor(attempts, session.remoteAddress(), key);
        if (peer == null) {
            LOG.error("no live upstreams while connecting to upstream, udp client: {}, server: {}, upstream: \"{}\"",
                    session.clientText(), session.serverText(), group.group().name());
            session.finish(502);
            return;
        }
        if (!session.connections().takeClientSlot()) {
            group.group().release(peer, Outcome.OK, attempts);
            peer = null;
            session.finish(502);
            return;
        }
        attempt = new UpstreamAttempt(peer.addressText());
        session.upstreams().add(attempt);
        session.udpInput(this::fromClient);
        long started = System.nanoTime();
        Bootstrap b = new Bootstrap().group(session.client().eventLoop())
                .channel(session.transport().datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(settings.bufferSize()))
                .handler(new FromUpstream());
        LocalBind local = settings.bindFor(session);
        ChannelFuture f = local == null ? b.connect(peer.spec().address()) : local.connect(b, peer.spec().address());
        f.addListener(done -> {
            if (done.cause() instanceof LocalBind.BindFailed && session.isOpen()) {
                session.connections().release();
                BindFailure.end(session, done.cause(), attempt.address());
                return;
            }
            if (!done.isSuccess()) {
                session.connections().release();
                fail(String.valueOf(done.cause().getMessage()));
                return;
            }
            session.connections().holdUntilClosed(f.channel());
            if (!session.isOpen()) {
                f.channel().close();
                return;
            }
            upstream = f.channel();
            attempt.connected((System.nanoTime() - started) / 1_000_000);
            for (ByteBuf data : pending) {
                send(data);
            }
            pending.clear();
            touch();
            idleTimer = upstream.eventLoop().schedule(this::checkIdle, settings.timeoutMs(), TimeUnit.MILLISECONDS);
        });
    }

    private void fromClient(ByteBuf data) {
        session.addReceived(data.readableBytes());
        fromClient++;
        touch();
        if (upstream == null) {
            pending.add(data);
        } else {
            send(data);
        }
    }

    private void send(ByteBuf data) {
        int n = data.readableBytes();
        upstream.writeAndFlush(data).addListener(f -> {
            if (f.isSuccess()) {
                attempt.addSent(n);
            }
            if (settings.responses() == 0) {
                session.finish(200);
            }
        });
    }

    /** The server's datagrams, back to the client. */
    private final class FromUpstream extends SimpleChannelInboundHandler<DatagramPacket> {
        FromUpstream() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf data = packet.content();
            int n = data.readableBytes();
            attempt.addReceived(n);
            responses++;
            touch();
            boolean last = settings.responses() > 0 && responses >= settings.responses() * fromClient;
            session.send(data).addListener(f -> {
                if (f.isSuccess()) {
                    session.addSent(n);
                }
                if (last) {
                    session.finish(200);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(String.valueOf(cause.getMessage()));
        }
    }

    private void fail(String why) {
        if (!session.isOpen()) {
            return;
        }
        LOG.error("{} while proxying udp to upstream, client: {}, server: {}, upstream: \"{}\"", why,
                session.clientText(), session.serverText(), attempt.address());
        failed = true;
        session.finish(responses == 0 ? 502 : 200);
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void checkIdle() {
        if (!session.isOpen()) {
            return;
        }
        long idle = (System.nanoTime() - lastActivity) / 1_000_000;
        if (idle >= settings.timeoutMs()) {
            session.finish(200);
        } else {
            idleTimer = upstream.eventLoop().schedule(this::checkIdle, settings.timeoutMs() - idle,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void ended() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        for (ByteBuf b : pending) {
            b.release();
        }
        pending.clear();
        if (upstream != null) {
            upstream.close();
        }
        if (peer != null) {
            group.group().account(peer, 0, attempt.sent(), attempt.received());
            if (attempt.connectMs() >= 0) {
                group.group().timedConnection(peer, attempt.connectMs(), attempt.firstByteMs(), attempt.elapsedMs());
            }
            group.group().release(peer, failed ? Outcome.FAILED : Outcome.OK, attempts);
        }
    }
}
