package io.zonesync.stream.sslpreread;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.stream.StreamListen;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamSession;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's ssl_preread module: {@code ssl_preread on} reads the client's TLS ClientHello in the
 * preread phase (at most {@code preread_buffer_size}, 16k; at most {@code preread_timeout}, 30s)
 * without terminating TLS, and sets {@code $ssl_preread_server_name},
 * {@code $ssl_preread_alpn_protocols} and {@code $ssl_preread_protocol}; the bytes read go to the
 * upstream server first. A client that is not speaking TLS goes on with the variables not found; a
 * hello larger than the buffer ends the session with 400 ({@code preread buffer full}); a client
 * that sends too little before the timeout is closed (200) without reaching content, as in nginx.
 */
public final class StreamSslPrereadModule implements ConfModule, StreamFeature {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSslPrereadModule.class);
    private static final String NAME = "ssl_preread_server_name";
    private static final String ALPN = "ssl_preread_alpn_protocols";
    private static final String PROTOCOL = "ssl_preread_protocol";

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_ssl_preread_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("ssl_preread", Arity.FLAG, Context.STREAM, Context.STREAM_SERVER));
    }

    @Override
    public void defineVariables(StreamCompile stream) {
        for (String v : List.of(NAME, ALPN, PROTOCOL)) {
            stream.variables().define(v, s -> s.value(v)); // not found unless a hello was read
        }
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        Scope scope = server.conf().scope();
        Directive on = scope.effectiveFirst("ssl_preread");
        if (on == null || !Values.flag(on)) {
            return;
        }
        if (server.conf().listens().stream().anyMatch(StreamListen::udp)) {
            throw on.error("\"ssl_preread\" is not supported in a server with a udp listener");
        }
        Directive size = scope.effectiveFirst("preread_buffer_size");
        long limit = size == null ? 16 * 1024 : Values.size(size, size.arg(0));
        Directive timeout = scope.effectiveFirst("preread_timeout");
        long timeoutMs = timeout == null ? 30_000 : Values.timeMs(timeout, timeout.arg(0));
        server.preread((session, next) -> session.client().pipeline().addLast("ssl-preread",
                new Reader(session, next, (int) limit, timeoutMs)));
    }

    /** Reads the client until the hello is complete, not TLS, or too large. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final StreamSession session;
        private final Runnable next;
        private final int limit;
        private final long timeoutMs;
        private final ByteBuf read = Unpooled.buffer();
        private ScheduledFuture<?> timer;
        private boolean done;

        Reader(StreamSession session, Runnable next, int limit, long timeoutMs) {
            this.session = session;
            this.next = next;
            this.limit = limit;
            this.timeoutMs = timeoutMs;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
            session.onClose(() -> {
                if (!done) {
                    done = true;
                    timer.cancel(false);
                    read.release();
                }
            });
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (done || !(msg instanceof ByteBuf data)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            read.writeBytes(data);
            data.release();
            ClientHello.Result r = ClientHello.parse(read);
            if (r instanceof ClientHello.Parsed p) {
                finish(ctx, p.hello());
            } else if (r instanceof ClientHello.NotTls) {
                finish(ctx, null);
            } else if (read.readableBytes() >= limit) {
                LOG.error("preread buffer full while prereading client data, client: {}, server: {}",
                        session.clientText(), session.serverText());
                done = true;
                timer.cancel(false);
                read.release();
                session.finish(400);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!done) {
                ctx.read();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!done && evt instanceof ChannelInputShutdownEvent) {
                finish(ctx, null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** As nginx: the session ends there, content never runs. */
        private void timedOut() {
            if (!done) {
                done = true;
                read.release();
                session.finish(200);
            }
        }

        private void finish(ChannelHandlerContext ctx, ClientHello hello) {
            if (done) {
                return;
            }
            done = true;
            timer.cancel(false);
            if (hello != null) {
                session.value(NAME, hello.serverName());
                session.value(ALPN, hello.alpn());
                session.value(PROTOCOL, hello.protocol());
            }
            session.keepPreread(read);
            ctx.pipeline().remove(this);
            next.run();
        }
    }
}
