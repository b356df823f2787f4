package io.zonesync.http.vars;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.zonesync.tls.ClientVerify;
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
 * The {@code $ssl_*} variables of nginx's ngx_http_ssl_module, read from the connection's TLS
 * session: empty on a plain connection. Distinguished names are RFC 2253 (nginx 1.11.6+), the
 * fingerprint is the SHA-1 of the DER certificate in lower-case hex, the serial upper-case hex in
 * whole bytes, and
 * {@code $ssl_client_cert} the PEM with every line after the first indented by a tab and no final
 * newline, as nginx writes it; cipher names are OpenSSL's.
 */
public final class SslVariables implements VariableProvider {
    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("ssl_protocol", req -> session(req) == null ? "" : protocol(session(req).getProtocol()));
        r.define("ssl_cipher", req -> session(req) == null ? "" : cipher(session(req).getCipherSuite()));
        r.define("ssl_server_name", SslVariables::serverName);
        r.define("ssl_session_id", req -> HexFormat.of().formatHex(req.tlsSessionId()));
        r.define("ssl_session_reused", req -> session(req) == null ? "" : req.tlsSessionReused() ? "r" : ".");
        r.define("ssl_alpn_protocol", req -> req.alpnProtocol() == null ? "" : req.alpnProtocol());
        r.define("ssl_client_verify", req -> ClientVerify.variable(session(req)));
        r.define("ssl_client_s_dn", req -> client(req) == null ? ""
                : client(req).getSubjectX500Principal().getName());
        r.define("ssl_client_i_dn", req -> client(req) == null ? ""
                : client(req).getIssuerX500Principal().getName());
        r.define("ssl_client_serial", req -> client(req) == null ? "" : serial(client(req)));
        r.define("ssl_client_fingerprint", req -> client(req) == null ? "" : fingerprint(client(req)));
        r.define("ssl_client_raw_cert", req -> client(req) == null ? "" : pem(client(req)));
        r.define("ssl_client_cert", req -> client(req) == null ? "" : pem(client(req)).strip().replace("\n", "\n\t"));
        r.define("ssl_client_escaped_cert", req -> client(req) == null ? "" : escaped(pem(client(req))));
    }

    private static SSLSession session(RequestView req) {
        return req.tlsSession();
    }

    /** The JDK's protocol names are nginx's (OpenSSL's) already: TLSv1.2, TLSv1.3. */
    private static String protocol(String name) {
        return name == null || name.equals("NONE") ? "" : name;
    }

    /** OpenSSL's name of a cipher suite (ECDHE-RSA-AES128-GCM-SHA256), as nginx prints it. */
    private static String cipher(String javaName) {
        String openSsl = CipherSuiteConverter.toOpenSsl(javaName, false);
        return openSsl == null ? javaName : openSsl;
    }

    private static String serverName(RequestView req) {
        if (session(req) instanceof ExtendedSSLSession s) {
            for (SNIServerName n : s.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return "";
    }

    private static X509Certificate client(RequestView req) {
        SSLSession s = session(req);
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

    /** Upper-case hex in whole bytes: 0x0ABC12 is "0ABC12". */
    static String serial(X509Certificate cert) {
        String hex = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }

    private static String pem(X509Certificate cert) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            return "";
        }
    }

    /** Percent-encodes what is not unreserved in a URI, as nginx's escaped certificate. */
    private static String escaped(String pem) {
        StringBuilder b = new StringBuilder();
        for (byte c : pem.getBytes(StandardCharsets.US_ASCII)) {
            if (Character.isLetterOrDigit(c) || List.of('-', '.', '_', '~').contains((char) c)) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", c & 0xff));
            }
        }
        return b.toString();
    }
}
