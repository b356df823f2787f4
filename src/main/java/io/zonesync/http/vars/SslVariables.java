package io.zonesync.http.vars;

import io.zonesync.tls.ClientVerify;
import io.zonesync.tls.TlsConnectionText;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The {@code $ssl_*} variables of nginx's ngx_http_ssl_module, read from the connection's TLS
 * session as {@link TlsConnectionText} writes them: empty on a plain connection.
 */
public final class SslVariables implements VariableProvider {
    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("ssl_protocol", req -> TlsConnectionText.protocol(req.tlsSession()));
        r.define("ssl_cipher", req -> TlsConnectionText.cipher(req.tlsSession()));
        r.define("ssl_server_name", req -> TlsConnectionText.serverName(req.tlsSession()));
        r.define("ssl_session_id", req -> HexFormat.of().formatHex(req.tlsSessionId()));
        r.define("ssl_session_reused", req -> req.tlsSession() == null ? "" : req.tlsSessionReused() ? "r" : ".");
        r.define("ssl_alpn_protocol", req -> req.alpnProtocol() == null ? "" : req.alpnProtocol());
        r.define("ssl_client_verify", req -> ClientVerify.variable(req.tlsSession()));
        r.define("ssl_client_s_dn", req -> TlsConnectionText.subject(client(req)));
        r.define("ssl_client_i_dn", req -> TlsConnectionText.issuer(client(req)));
        r.define("ssl_client_serial", req -> TlsConnectionText.serial(client(req)));
        r.define("ssl_client_fingerprint", req -> TlsConnectionText.fingerprint(client(req)));
        r.define("ssl_client_raw_cert", req -> TlsConnectionText.pem(client(req)));
        r.define("ssl_client_cert", req -> TlsConnectionText.indentedPem(client(req)));
        r.define("ssl_client_escaped_cert", req -> TlsConnectionText.escapedPem(client(req)));
    }

    private static X509Certificate client(RequestView req) {
        return TlsConnectionText.client(req.tlsSession());
    }
}
