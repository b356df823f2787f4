package io.zonesync.tls;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Sits right behind the SslHandler: when the handshake fails it reports why, in the words of
 * {@link HandshakeFailure#describe}, to its owner (who logs it, summarised), and keeps the TLS
 * exceptions that follow from reaching the handlers behind it, which would report the same failure
 * again in less useful words.
 */
public final class HandshakeLog extends ChannelDuplexHandler {
    private final Consumer<String> report;
    private boolean failed;

    /** @param report where the reason goes */
    public HandshakeLog(Consumer<String> report) {
        this.report = report;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess() && !failed) {
                failed = true;
                report.accept(HandshakeFailure.describe(done.cause()));
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Until the handshake is done every exception here is TLS's; the completion event reports it.
        ctx.close();
    }
}
