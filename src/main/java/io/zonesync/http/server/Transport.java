package io.zonesync.http.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and server channel types: native epoll when available (needed for
 * {@code unix:} listeners), Java NIO otherwise. One transport can serve several runtimes.
 *
 * <p>The epoll classes are reached by name because the build has them on the runtime class path
 * only (netty-transport-classes-epoll comes in through the native jar at runtime scope).
 */
public final class Transport implements AutoCloseable {
    private static final String EPOLL = "io.netty.channel.epoll.";

    private final EventLoopGroup group;
    private final boolean epoll;

    private Transport(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** Epoll when the platform has it, else NIO; {@code threads} 0 means Netty's default (2 x cores). */
    public static Transport create(int threads, String threadNamePrefix) {
        IoHandlerFactory factory = epollAvailable() ? epollFactory() : null;
        if (factory == null) {
            return nio(threads, threadNamePrefix);
        }
        return new Transport(new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory(threadNamePrefix, true), factory), true);
    }

    /** NIO regardless of the platform (tests of the fallback). */
    public static Transport nio(int threads, String threadNamePrefix) {
        return new Transport(new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory(threadNamePrefix, true), NioIoHandler.newFactory()), false);
    }

    /** Whether native epoll can be used here. */
    public static boolean epollAvailable() {
        try {
            return (Boolean) Class.forName(EPOLL + "Epoll").getMethod("isAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static IoHandlerFactory epollFactory() {
        try {
            return (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends ServerChannel> epollClass(String name) {
        try {
            return (Class<? extends ServerChannel>) Class.forName(EPOLL + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll is available but " + name + " is missing", e);
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    public boolean isEpoll() {
        return epoll;
    }

    Class<? extends ServerChannel> tcpServerChannel() {
        return epoll ? epollClass("EpollServerSocketChannel") : NioServerSocketChannel.class;
    }

    Class<? extends ServerChannel> unixServerChannel() {
        if (!epoll) {
            throw new IllegalStateException("unix domain sockets need the native epoll transport, "
                    + "which is not available here");
        }
        return epollClass("EpollServerDomainSocketChannel");
    }

    /** SO_REUSEPORT on epoll, null elsewhere. */
    @SuppressWarnings("unchecked")
    ChannelOption<Boolean> reusePortOption() {
        if (!epoll) {
            return null;
        }
        try {
            return (ChannelOption<Boolean>) Class.forName(EPOLL + "EpollChannelOption").getField("SO_REUSEPORT")
                    .get(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
