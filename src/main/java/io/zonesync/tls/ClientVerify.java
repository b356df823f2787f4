package io.zonesync.tls;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * {@code ssl_verify_client} of an http server as nginx applies it: the handshake takes whatever
 * certificate the client sends, the check's verdict is kept in the TLS session, and each request
 * is then refused (answered 400) when the server requires what the certificate lacks.
 * {@code $ssl_client_verify} reads the verdict: {@code SUCCESS}, {@code FAILED:reason} with
 * OpenSSL's words, or {@code NONE}.
 */
public enum ClientVerify {
    OFF, ON, OPTIONAL, OPTIONAL_NO_CA;

    /** The status nginx uses inside for a certificate that fails the check (sent as 400). */
    public static final int CERT_ERROR = 495;
    /** The status nginx uses inside for no certificate where one is required (sent as 400). */
    public static final int NO_CERT = 496;

    private static final String FAILURE = "io.zonesync.tls.client-certificate-failure";
    /** OpenSSL's words for the verification errors a client's certificate can meet here. */
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(1, "unspecified certificate verification error"),
            Map.entry(3, "unable to get certificate CRL"),
            Map.entry(7, "certificate signature failure"),
            Map.entry(9, "certificate is not yet valid"),
            Map.entry(10, "certificate has expired"),
            Map.entry(18, "self-signed certificate"),
            Map.entry(19, "self-signed certificate in certificate chain"),
            Map.entry(20, "unable to get local issuer certificate"),
            Map.entry(21, "unable to verify the first certificate"),
            Map.entry(22, "certificate chain too long"),
            Map.entry(23, "certificate revoked"),
            Map.entry(27, "certificate not trusted"));

    /** A certificate that failed the check: OpenSSL's error code and its words. */
    public record Failure(int code, String reason) {
        static Failure of(int code) {
            return new Failure(code, REASONS.getOrDefault(code, "certificate verify error " + code));
        }

        /** Whether {@code optional_no_ca} lets it through: only the certificate's issuer is unknown. */
        boolean issuerUnknown() {
            return code == 2 || code == 18 || code == 19 || code == 20 || code == 21;
        }
    }

    /** The server's mode; values were checked when its TLS was compiled. */
    public static ClientVerify of(Scope server) throws ConfigException {
        Directive d = server.effectiveFirst("ssl_verify_client");
        if (d == null) {
            return OFF;
        }
        return switch (d.arg(0)) {
            case "on" -> ON;
            case "optional" -> OPTIONAL;
            case "optional_no_ca" -> OPTIONAL_NO_CA;
            case "off" -> OFF;
            default -> throw d.error("invalid value \"%s\" in \"ssl_verify_client\" directive, it must be \"on\","
                    + " \"off\", \"optional\" or \"optional_no_ca\"", d.arg(0));
        };
    }

    /** Keeps the verdict on a certificate in the session being negotiated. */
    static void record(SSLSession handshake, Failure failure) {
        handshake.putValue(FAILURE, failure);
    }

    /** The failure the handshake recorded, or null. */
    public static Failure failure(SSLSession session) {
        return session.getValue(FAILURE) instanceof Failure f ? f : null;
    }

    /** {@code $ssl_client_verify} of a TLS session (null: not TLS, ""). */
    public static String variable(SSLSession session) {
        if (session == null) {
            return "";
        }
        if (!hasCertificate(session)) {
            return "NONE";
        }
        Failure f = failure(session);
        return f == null ? "SUCCESS" : "FAILED:" + f.reason();
    }

    /**
     * What this server makes of a request on the session: 0 to serve it, {@link #CERT_ERROR} for a
     * certificate that fails where it is checked, {@link #NO_CERT} for none where one is required.
     */
    public int refusal(SSLSession session) {
        if (this == OFF || session == null) {
            return 0;
        }
        if (!hasCertificate(session)) {
            return this == ON ? NO_CERT : 0;
        }
        Failure f = failure(session);
        if (f == null || this == OPTIONAL_NO_CA && f.issuerUnknown()) {
            return 0;
        }
        return CERT_ERROR;
    }

    private static boolean hasCertificate(SSLSession session) {
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
