package io.zonesync.tls;

import io.netty.channel.Channel;
import io.zonesync.access.AccessRule;
import io.zonesync.access.AccessRules;
import io.zonesync.config.ConfigException;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.stream.StreamListen;
import io.zonesync.stream.StreamServerConf;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who may be a zone_sync peer: the listener's TLS ({@code listen ... ssl} with the stream
 * {@code ssl_*} directives, client certificates checked by {@code ssl_verify_client}), the
 * {@code allow}/{@code deny} rules of the zone_sync server, and the TLS this node speaks when it
 * dials ({@code zone_sync_ssl*}), whose checks also apply to the peers that dial in. Installs the handlers at the head of a link's pipeline; the
 * frames above never see a byte from a peer that failed any of these. Equal when a reload changed
 * no setting and no file.
 */
public final class SyncLinkSecurity {
    public static final SyncLinkSecurity NONE = new SyncLinkSecurity(null, null, AccessRules.NONE);

    private final ServerTls listener;
    private final ClientTls dial;
    private final AccessRules access;

    private SyncLinkSecurity(ServerTls listener, ClientTls dial, AccessRules access) {
        this.listener = listener;
        this.dial = dial;
        this.access = access;
    }

    /** From the zone_sync server's directives; relative file names resolve against {@code confDir}. */
    public static SyncLinkSecurity compile(StreamServerConf server, Path confDir) throws ConfigException {
        ClientTls dial = ClientTls.compile(server.scope(), confDir);
        ServerTls tls = null;
        for (StreamListen l : server.listens()) {
            if (l.ssl()) {
                // Peers that dial in are verified too: the listener asks for their certificate.
                tls = ServerTls.compile(server.scope(), l.directive().where(), confDir, dial != null && dial.verifies());
                break;
            }
        }
        return new SyncLinkSecurity(tls, dial, AccessRules.of(server.scope()));
    }

    /**
     * Admits a connection accepted on a zone_sync listener: the reason (the caller logs it and
     * closes the connection) when the access rules deny the client, as nginx words it:
     * {@code access forbidden by rule "deny 10.0.0.0/8" in FILE:LINE}; otherwise null, and the TLS
     * handlers go in first when the listener has {@code ssl}, a failed handshake going to
     * {@code failed} with its reason and counted in {@code node} (the node's handshake figures).
     */
    public String admitInbound(Channel ch, boolean sslListen, Consumer<String> failed, HandshakeCounters node) {
        AccessRule rule = access.match(ch.remoteAddress());
        if (rule != null && !rule.allow()) {
            return "access forbidden by rule \"deny " + rule.directive().arg(0) + "\" in " + rule.directive().where();
        }
        if (sslListen && listener != null) {
            ch.pipeline().addLast("tls", listener.newHandler(ch));
            ch.pipeline().addLast("tls-count", listener.counter(node));
            ch.pipeline().addLast("tls-log", new HandshakeLog(failed));
        }
        return null;
    }

    /**
     * Puts TLS in front of an outbound link when {@code zone_sync_ssl} is on; a failed handshake
     * goes to {@code failed} with its reason, and every handshake's end is counted in each of
     * {@code counted}. {@code listedHost} is the host the node was listed under (the default
     * {@code zone_sync_ssl_name}).
     */
    public void secureOutbound(Channel ch, String listedHost, SocketAddress remote, long timeoutMs,
            Consumer<String> failed, HandshakeCounters... counted) {
        if (dial == null) {
            return;
        }
        int port = remote instanceof InetSocketAddress inet ? inet.getPort() : -1;
        SslHandler tls = dial.newHandler(ch, listedHost, port, timeoutMs);
        ch.pipeline().addLast("tls", tls);
        ch.pipeline().addLast("tls-log", new HandshakeLog(failed));
        tls.handshakeFuture().addListener(f -> {
            if (ch.remoteAddress() != null) { // else the connection never opened: no handshake began
                HandshakeCount.dialled(tls, f.cause(), counted);
            }
        });
    }

    /**
     * Checks a peer that dialled in, once its HELLO named it, as this node checks the peers it
     * dials when {@code zone_sync_ssl_verify} is on: its certificate (the one it presented to the
     * listener) must chain to {@code zone_sync_ssl_trusted_certificate} within the verify depth,
     * pass {@code zone_sync_ssl_crl} and match {@code zone_sync_ssl_name}, else the host it is
     * listed under. Returns why the peer fails, or null when it passes or verification is off.
     */
    public String verifyInbound(Channel ch, String listedHost) {
        if (dial == null || !dial.verifies()) {
            return null;
        }
        SslHandler tls = ch == null ? null : ch.pipeline().get(SslHandler.class);
        if (tls == null) {
            return "the link is not TLS (the zone_sync listener has no \"ssl\"), and zone_sync_ssl_verify is on";
        }
        Certificate[] presented;
        try {
            presented = tls.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return "it sent no certificate (zone_sync_ssl_certificate), and zone_sync_ssl_verify is on";
        }
        X509Certificate[] chain = new X509Certificate[presented.length];
        for (int i = 0; i < presented.length; i++) {
            if (!(presented[i] instanceof X509Certificate x509)) {
                return "it sent a certificate that is not X.509";
            }
            chain[i] = x509;
        }
        return dial.refusal(chain, listedHost);
    }

    /**
     * The TLS of a link that is up: protocol, cipher, and the peer certificate's subject when
     * zone_sync_ssl_verify checked it (outbound by the handshake, inbound by {@link #verifyInbound});
     * null for a plain link.
     */
    public TlsParameters describe(Channel ch) {
        SslHandler tls = ch == null ? null : ch.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        SSLSession session = tls.engine().getSession();
        String subject = null;
        if (dial != null && dial.verifies()) {
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                    subject = x509.getSubjectX500Principal().getName();
                }
            } catch (SSLPeerUnverifiedException e) {
                subject = null; // no certificate: the link would not have passed the checks
            }
        }
        return new TlsParameters(session.getProtocol(), session.getCipherSuite(), subject);
    }

    public boolean dialsWithTls() {
        return dial != null;
    }

    private String fingerprint() {
        return (listener == null ? "-" : listener.fingerprint()) + "/" + (dial == null ? "-" : dial.fingerprint());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncLinkSecurity other && fingerprint().equals(other.fingerprint())
                && access.equals(other.access);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint(), access);
    }
}
