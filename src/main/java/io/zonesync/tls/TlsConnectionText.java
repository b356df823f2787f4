package io.zonesync.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection as nginx's {@code $ssl_*} variables write it, for http's and stream's ssl
 * modules alike: protocol and cipher in OpenSSL's names, the SNI name, the session id and reuse,
 * and the client certificate's distinguished names (RFC 2253), serial (upper-case hex in whole
 * bytes), SHA-1 fingerprint (lower-case hex) and PEM forms. Each method takes what it reads and
 * answers "" where nginx's variable is empty.
 */
public final class TlsConnectionText {
    private TlsConnectionText() {
    }

    /** The JDK's protocol names are OpenSSL's already: TLSv1.2, TLSv1.3. */
    public static String protocol(SSLSession s) {
        String name = s == null ? null : s.getProtocol();
        return name == null || name.equals("NONE") ? "" : name;
    }

    /** OpenSSL's name of the cipher suite (ECDHE-RSA-AES128-GCM-SHA256). */
    public static String cipher(SSLSession s) {
        if (s == null) {
            return "";
        }
        String openSsl = CipherSuiteConverter.toOpenSsl(s.getCipherSuite(), false);
        return openSsl == null ? s.getCipherSuite() : openSsl;
    }

    /** The host name the client asked for with SNI. */
    public static String serverName(SSLSession s) {
        if (s instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return "";
    }

    /** The OpenSSL SSL* behind {@code tls}, 0 when there is none (plain, or the engine is freed). */
    private static long sslPointer(SslHandler tls) {
        return tls != null && tls.engine() instanceof ReferenceCountedOpenSslEngine e ? e.sslPointer() : 0;
    }

    /** Whether the handshake resumed a session. */
    public static boolean sessionReused(SslHandler tls) {
        long ssl = sslPointer(tls);
        return ssl != 0 && SSL.isSessionReused(ssl);
    }

    /** The session id, empty when there is none (TLSv1.3 without a session cache). */
    public static byte[] sessionId(SslHandler tls) {
        long ssl = sslPointer(tls);
        byte[] id = ssl == 0 ? null : SSL.getSessionId(ssl);
        return id == null ? new byte[0] : id;
    }

    /** The client's certificate, or null without one. */
    public static X509Certificate client(SSLSession s) {
        if (s == null) {
            return null;
        }
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    public static String subject(X509Certificate cert) {
        return cert == null ? "" : cert.getSubjectX500Principal().getName();
    }

    public static String issuer(X509Certificate cert) {
        return cert == null ? "" : cert.getIssuerX500Principal().getName();
    }

    /** Upper-case hex in whole bytes: 0x0ABC12 is "0ABC12". */
    public static String serial(X509Certificate cert) {
        if (cert == null) {
            return "";
        }
        String hex = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    public static String fingerprint(X509Certificate cert) {
        if (cert == null) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }

    /** The PEM form ({@code $ssl_client_raw_cert}). */
    public static String pem(X509Certificate cert) {
        if (cert == null) {
            return "";
        }
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            return "";
        }
    }

    /** {@code $ssl_client_cert}: the PEM with every line after the first indented by a tab, no final newline. */
    public static String indentedPem(X509Certificate cert) {
        return pem(cert).strip().replace("\n", "\n\t");
    }

    /** {@code $ssl_client_escaped_cert}: the PEM with what is not unreserved in a URI percent-encoded. */
    public static String escapedPem(X509Certificate cert) {
        StringBuilder b = new StringBuilder();
        for (byte c : pem(cert).getBytes(StandardCharsets.US_ASCII)) {
            if (Character.isLetterOrDigit(c) || List.of('-', '.', '_', '~').contains((char) c)) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", c & 0xff));
            }
        }
        return b.toString();
    }
}
