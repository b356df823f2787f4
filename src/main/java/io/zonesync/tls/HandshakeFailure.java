package io.zonesync.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.internal.tcnative.CertificateVerifier;
import io.zonesync.net.HandshakeCounters;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Why a TLS handshake failed, in words an operator can act on, and in the classes NGINX Plus counts
 * ({@link #counted}, {@link #verifyFailure}).
 */
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

    /** The class a failed handshake is counted in. */
    public static HandshakeCounters.Failure counted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return HandshakeCounters.Failure.TIMEOUT;
            }
        }
        String upper = messages(failure).toUpperCase(Locale.ROOT);
        if (upper.contains("NO_SHARED_CIPHER") || upper.contains("NO_CIPHERS_AVAILABLE")
                || upper.contains("NO_CIPHER_MATCH") || upper.contains("ALERT_INSUFFICIENT_SECURITY")) {
            return HandshakeCounters.Failure.NO_COMMON_CIPHER;
        }
        if (upper.contains("UNSUPPORTED_PROTOCOL") || upper.contains("ALERT_PROTOCOL_VERSION")
                || upper.contains("NO_SUPPORTED_VERSIONS_ENABLED")) {
            return HandshakeCounters.Failure.NO_COMMON_PROTOCOL;
        }
        // an alert the peer sent about the certificate we presented
        for (String alert : new String[] {"BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN", "CERTIFICATE_EXPIRED",
            "CERTIFICATE_REVOKED", "UNSUPPORTED_CERTIFICATE"}) {
            if (upper.contains("ALERT_" + alert)) {
                return HandshakeCounters.Failure.PEER_REJECTED_CERT;
            }
        }
        return HandshakeCounters.Failure.OTHER;
    }

    /**
     * Why our check refused the peer's certificate when that is what failed the handshake; null
     * when the handshake failed for another reason.
     */
    public static HandshakeCounters.Verify verifyFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateCheck.PeerCertificateException e) {
                return e.getMessage().equals(PeerCertificateCheck.NO_CERTIFICATE) ? HandshakeCounters.Verify.NO_CERT
                        : verifyFailure(e.code);
            }
        }
        String upper = messages(failure).toUpperCase(Locale.ROOT);
        if ((upper.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || upper.contains("CERTIFICATE_REQUIRED"))
                && !upper.contains("ALERT")) {
            return HandshakeCounters.Verify.NO_CERT;
        }
        return null;
    }

    /** The class of an OpenSSL verification error code (X509_V_ERR_*). */
    public static HandshakeCounters.Verify verifyFailure(int code) {
        if (code == CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED
                || code == CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID) {
            return HandshakeCounters.Verify.EXPIRED_CERT;
        }
        if (code == CertificateVerifier.X509_V_ERR_CERT_REVOKED) {
            return HandshakeCounters.Verify.REVOKED_CERT;
        }
        if (code == CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH) {
            return HandshakeCounters.Verify.HOSTNAME_MISMATCH;
        }
        return HandshakeCounters.Verify.OTHER;
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
