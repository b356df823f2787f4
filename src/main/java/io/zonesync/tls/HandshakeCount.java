package io.zonesync.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.zonesync.net.HandshakeCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * Counts how TLS handshakes end in NGINX Plus's figures. An instance sits right behind a
 * listener's TLS handler and counts how its handshake ended (done, resumed, failed and why, a
 * client certificate the server refuses) in the node's figures and in those of the status zones
 * of the server whose TLS answered; then leaves the pipeline. {@link #dialled} counts a handshake
 * the node made as a client (to an upstream server, to a zone_sync peer). An http server
 * judges the client's certificate after the handshake ({@link ClientVerify}): a certificate it
 * refuses counts as a verification failure of a handshake that succeeded; an http connection
 * closed before its first byte is no handshake ({@link #firstByte}).
 */
public final class HandshakeCount extends ChannelInboundHandlerAdapter {
    private final HandshakeCounters node;
    private ServerTls server;
    private boolean counted;
    /** Null: every end counts; else false until the client's first byte arrives. */
    private Boolean spoke;

    HandshakeCount(HandshakeCounters node, ServerTls server) {
        this.node = node;
        this.server = server;
    }

    /**
     * The handler that goes before the TLS handler, for http: a connection closed before its
     * client sent a byte is then not counted, as nginx's http starts no handshake for it.
     */
    ChannelInboundHandlerAdapter firstByte() {
        spoke = false;
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                spoke = true;
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** The server chosen by the name the client asked for (SNI), whose zones count the handshake. */
    void server(ServerTls chosen) {
        server = chosen;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !counted) {
            counted = true;
            if (done.isSuccess()) {
                succeeded(ctx.pipeline().get(SslHandler.class));
            } else {
                failed(done.cause());
            }
            ctx.pipeline().remove(this);
        } else if (evt instanceof SniCompletionEvent sni && !sni.isSuccess() && !counted) {
            counted = true; // no ClientHello that could be read: no SslHandler follows
            failed(sni.cause());
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    private List<HandshakeCounters> all() {
        List<HandshakeCounters> all = new ArrayList<>(server.zones().size() + 1);
        all.add(node);
        all.addAll(server.zones());
        return all;
    }

    private void succeeded(SslHandler tls) {
        boolean reused = tls != null && TlsConnectionText.sessionReused(tls);
        HandshakeCounters.Verify refused = null;
        if (server.verify() != null && tls != null) {
            SSLSession session = tls.engine().getSession();
            int refusal = server.verify().refusal(session);
            if (refusal == ClientVerify.NO_CERT) {
                refused = HandshakeCounters.Verify.NO_CERT;
            } else if (refusal == ClientVerify.CERT_ERROR) {
                refused = HandshakeFailure.verifyFailure(ClientVerify.failure(session).code());
            }
        }
        for (HandshakeCounters c : all()) {
            c.succeeded(reused);
            if (refused != null) {
                c.verifyFailed(refused);
            }
        }
    }

    private void failed(Throwable cause) {
        if (Boolean.FALSE.equals(spoke)) {
            return;
        }
        countFailure(cause, all());
    }

    /**
     * A handshake the node made as a client ended: done ({@code failure} null; resumed or not), or
     * failed and why, a server certificate our checks refused counted by its fault (the peer's
     * {@code verify_failures}); counted in each of {@code into}.
     */
    public static void dialled(SslHandler tls, Throwable failure, HandshakeCounters... into) {
        if (failure != null) {
            countFailure(failure, Arrays.asList(into));
            return;
        }
        boolean reused = TlsConnectionText.sessionReused(tls);
        for (HandshakeCounters c : into) {
            c.succeeded(reused);
        }
    }

    private static void countFailure(Throwable cause, List<HandshakeCounters> into) {
        HandshakeCounters.Failure why = HandshakeFailure.counted(cause);
        HandshakeCounters.Verify refused = HandshakeFailure.verifyFailure(cause);
        for (HandshakeCounters c : into) {
            c.failed(why);
            if (refused != null) {
                c.verifyFailed(refused);
            }
        }
    }
}
