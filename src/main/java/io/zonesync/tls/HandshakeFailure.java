package io.zonesync.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Why a TLS handshake failed, in words an operator can act on. */
public final class HandshakeFailure {
    private HandshakeFailure() {
    }

    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateCheck.PeerCertificateException) {
                return t.getMessage();
            }
            if (t instanceof NotSslRecordException) {
                return "not a TLS connection (a plaintext peer on a TLS listener?)";
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return t.getMessage();
            }
        }
        String all = messages(failure);
        String upper = all.toUpperCase(Locale.ROOT);
        if (upper.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || upper.contains("CERTIFICATE_REQUIRED")) {
            return upper.contains("ALERT") ? "the peer requires a client certificate and we sent none"
                    : "the peer sent no client certificate, and ssl_verify_client is on";
        }
        for (String alert : new String[] {"UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_REVOKED", "CERTIFICATE_EXPIRED",
            "CERTIFICATE_UNKNOWN", "UNSUPPORTED_CERTIFICATE", "ACCESS_DENIED", "HANDSHAKE_FAILURE",
            "PROTOCOL_VERSION"}) {
            if (upper.contains("ALERT_" + alert)) {
                return "the peer refused the handshake (TLS alert " + alert.toLowerCase(Locale.ROOT) + ")";
            }
        }
        if (upper.contains("WRONG_VERSION_NUMBER") || upper.contains("HTTP_REQUEST") || upper.contains("PACKET_LENGTH")) {
            return "the peer does not speak TLS";
        }
        if (upper.contains("NO_SHARED_CIPHER") || upper.contains("UNSUPPORTED_PROTOCOL")) {
            return "no protocol or cipher in common with the peer (" + all + ")";
        }
        if (failure instanceof ClosedChannelException || upper.contains("CLOSED")) {
            return "the peer closed the connection during the handshake (it may not speak TLS here)";
        }
        return all;
    }

    /**
     * A failed handshake as nginx words it, with the reason from {@link #describe}:
     * {@code SSL_do_handshake() failed (REASON) while SSL handshaking to PEER}, or without
     * {@code to PEER} when the other end is a client of our listener.
     */
    public static String nginxWords(String reason, String peer) {
        return "SSL_do_handshake() failed (" + reason + ") while SSL handshaking" + (peer == null ? "" : " to " + peer);
    }

    private static String messages(Throwable failure) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (b.indexOf(m) < 0) {
                if (b.length() > 0) {
                    b.append(": ");
                }
                b.append(m);
            }
        }
        return b.toString();
    }
}
