package io.zonesync.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on a loopback port for partition tests: it forwards both ways, and can be told to
 * blackhole (accept and keep connections but drop every byte, as a cut cable does), to pause (hold
 * every byte, in order, and stop reading from the side that dials, as a stalled peer does, then
 * deliver it all), to refuse new connections, to cut every connection it carries, or to pass only
 * the first bytes of each answer.
 */
public final class TcpProxy implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile InetSocketAddress target;
    private final Channel server;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean blackhole;
    private volatile boolean refuse;
    private volatile boolean paused;
    private volatile long answerBytes = Long.MAX_VALUE;
    /** What arrived while paused, in order: message, to, from. Touched on the proxy's one event loop only. */
    private final List<Object[]> held = new ArrayList<>();

    public TcpProxy(InetSocketAddress target) throws InterruptedException {
        this();
        this.target = target;
    }

    /**
     * A proxy whose target is given later ({@link #to}): until then it closes what it accepts, as a
     * peer that is not up yet. Its port can go in a configuration before the target has one.
     */
    public TcpProxy() throws InterruptedException {
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Front());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Forwards new connections to {@code target} from now on. */
    public TcpProxy to(InetSocketAddress target) {
        this.target = target;
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Drops all bytes in both directions while on; connections stay open. */
    public void blackhole(boolean on) {
        blackhole = on;
    }

    /**
     * While on, holds what arrives and reads no more from the dialling side (its socket fills, as
     * one to a peer that stopped reading does); off, delivers what it held, in order, and reads on.
     */
    public void pause(boolean on) {
        if (on) {
            paused = true;
            return;
        }
        group.next().execute(() -> {
            paused = false;
            List<Object[]> out = new ArrayList<>(held);
            held.clear();
            for (Object[] h : out) {
                forward(h[0], (Channel) h[1], (Channel) h[2]);
            }
        });
    }

    /**
     * Of what the target sends on each connection made from now on, only the first {@code bytes}
     * reach the dialling side; the rest is dropped and the connection kept, as one whose answering
     * direction died mid-stream.
     */
    public void truncateAnswers(long bytes) {
        answerBytes = bytes;
    }

    /** Closes new connections at once while on. */
    public void refuse(boolean on) {
        refuse = on;
    }

    /** Closes every connection now. */
    public void cutAll() {
        for (Channel c : channels) {
            c.close();
        }
    }

    public int openConnections() {
        return (int) channels.stream().filter(Channel::isActive).count() / 2;
    }

    @Override
    public void close() {
        cutAll();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Front extends ChannelInboundHandlerAdapter {
        private Channel back;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            InetSocketAddress to = target;
            if (refuse || to == null) {
                front.close();
                return;
            }
            channels.add(front);
            front.closeFuture().addListener(f -> channels.remove(front));
            new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Relay(front, answerBytes))
                    .connect(to).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            channels.add(back);
                            back.closeFuture().addListener(x -> {
                                channels.remove(back);
                                front.close();
                            });
                            front.read();
                        } else {
                            front.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            forward(msg, back, ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) {
                back.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel front;
        /** Bytes of the answer still to pass. */
        private long left;

        Relay(Channel front, long answerBytes) {
            this.front = front;
            this.left = answerBytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (left != Long.MAX_VALUE && msg instanceof ByteBuf b) {
                int pass = (int) Math.min(left, b.readableBytes());
                left -= pass;
                if (pass < b.readableBytes()) {
                    ByteBuf head = b.readRetainedSlice(pass);
                    b.release();
                    msg = head;
                }
            }
            forward(msg, front, ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void forward(Object msg, Channel to, Channel from) {
        if (paused) {
            held.add(new Object[] {msg, to, from});
            return;
        }
        if (blackhole || to == null || !to.isActive()) {
            ReferenceCountUtil.release(msg);
            from.read();
            return;
        }
        to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                from.read();
            } else {
                from.close();
            }
        });
    }
}
