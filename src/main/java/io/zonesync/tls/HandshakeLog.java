package io.zonesync.tls;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.zonesync.log.LogMarkers;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right behind the SslHandler: when the handshake fails it reports why (to the log for a
 * listener, to a callback for a dialer) and keeps the TLS exceptions that follow from reaching the
 * handlers behind it, which would report the same failure again in less useful words.
 */
public final class HandshakeLog extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeLog.class);

    private final String what;
    private final Consumer<String> report;
    private boolean failed;

    /**
     * @param what the listener, e.g. {@code zone_sync}
     * @param report where the reason goes; null logs it, naming the client
     */
    public HandshakeLog(String what, Consumer<String> report) {
        this.what = what;
        this.report = report;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess() && !failed) {
                failed = true;
                String why = HandshakeFailure.describe(done.cause());
                if (report != null) {
                    report.accept(why);
                } else {
                    LOG.info(LogMarkers.NOTICE, "{}: TLS handshake with {} failed: {}; connection closed", what,
                            String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", ""), why);
                }
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
