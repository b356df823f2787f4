package io.zonesync.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel types for this machine: native epoll where Netty has it (which
 * {@code unix:} sockets need), Java NIO otherwise. The node has one for HTTP and one for zone_sync;
 * each can serve several runtimes.
 */
public final class Transport implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean epoll;

    private Transport(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** Epoll when the platform has it, else NIO; {@code threads} 0 means Netty's default (2 x cores). */
    public static Transport create(int threads, String threadNamePrefix) {
        if (!epollAvailable()) {
            return nio(threads, threadNamePrefix);
        }
        return new Transport(group(threads, threadNamePrefix, EpollIoHandler.newFactory()), true);
    }

    /** NIO regardless of the platform (tests of the fallback). */
    public static Transport nio(int threads, String threadNamePrefix) {
        return new Transport(group(threads, threadNamePrefix, NioIoHandler.newFactory()), false);
    }

    private static EventLoopGroup group(int threads, String name, IoHandlerFactory factory) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** Whether native epoll can be used here. */
    public static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** The server channel type for a listening address (TCP, or a unix socket with epoll). */
    public Class<? extends ServerChannel> serverChannel(SocketAddress address) {
        return address instanceof DomainSocketAddress ? unixServerChannel() : tcpServerChannel();
    }

    /** The channel type for dialling an address. */
    public Class<? extends Channel> clientChannel(SocketAddress address) {
        if (address instanceof DomainSocketAddress) {
            requireEpoll(address.toString());
            return EpollDomainSocketChannel.class;
        }
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The UDP channel type, for listening and for dialling. */
    public Class<? extends DatagramChannel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public Class<? extends ServerChannel> tcpServerChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends ServerChannel> unixServerChannel() {
        requireEpoll("unix domain sockets");
        return EpollServerDomainSocketChannel.class;
    }

    /** SO_REUSEPORT on epoll, null elsewhere. */
    public ChannelOption<Boolean> reusePortOption() {
        return epoll ? EpollChannelOption.SO_REUSEPORT : null;
    }

    private void requireEpoll(String what) {
        if (!epoll) {
            throw new IllegalStateException(what + " need the native epoll transport, which is not available here"
                    + (epollAvailable() ? "" : ": " + Epoll.unavailabilityCause()));
        }
    }

    /** Stops the event loops, waiting at most two seconds. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Stops the event loops without waiting. */
    public void shutdown() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
