package io.zonesync.http.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpClientCodec;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.net.LocalBind;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Opens upstream connections on the client connection's own event loop (no thread hop between
 * the two sides), with the channel type that loop runs: epoll or NIO, TCP or a unix domain socket.
 */
final class UpstreamConnector {
    /** Longest status line and header block accepted from an upstream. */
    static final int MAX_HEADER_BYTES = 32 * 1024;
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    private UpstreamConnector() {
    }

    /**
     * A connection to {@code address}, from {@code local} ({@code proxy_bind}) unless that is null,
     * with SO_KEEPALIVE when {@code keepalive} ({@code proxy_socket_keepalive}).
     */
    static ChannelFuture connect(EventLoop loop, InetSocketAddress address, long timeoutMs, LocalBind local,
            boolean keepalive) {
        String unix = ServerSpec.unixPath(address);
        boolean epoll = loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        SocketAddress target = address;
        if (unix != null) {
            b.channel(epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class);
            target = epoll ? new DomainSocketAddress(unix) : UnixDomainSocketAddress.of(unix);
        } else {
            b.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, keepalive);
        }
        b.handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec(8192, MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
                        ch.pipeline().addLast("upstream", new UpstreamHandler());
                    }
                });
        return local == null ? b.connect(target) : local.connect(b, target);
    }

    static UpstreamHandler handler(Channel ch) {
        return ch.pipeline().get(UpstreamHandler.class);
    }
}
