package io.zonesync.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;

/**
 * The event loops and channel classes for this machine: native epoll where Netty has it (and UNIX
 * domain sockets with it), NIO otherwise.
 */
public record Transport(EventLoopGroup group, boolean epoll) {

    public static Transport create(String name, int threads) {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, factory,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        return new Transport(group, epoll);
    }

    public Class<? extends ServerChannel> serverChannel(SocketAddress address) {
        if (address instanceof io.netty.channel.unix.DomainSocketAddress) {
            requireEpoll(address);
            return EpollServerDomainSocketChannel.class;
        }
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> clientChannel(SocketAddress address) {
        if (address instanceof io.netty.channel.unix.DomainSocketAddress) {
            requireEpoll(address);
            return EpollDomainSocketChannel.class;
        }
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private void requireEpoll(SocketAddress address) {
        if (!epoll) {
            throw new IllegalStateException("unix domain sockets (" + address + ") need native epoll, which is not"
                    + " available here: " + Epoll.unavailabilityCause());
        }
    }

    public void shutdown() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
