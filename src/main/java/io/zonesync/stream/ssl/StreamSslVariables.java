package io.zonesync.stream.ssl;

import io.netty.handler.ssl.SslHandler;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.tls.ClientVerify;
import io.zonesync.tls.TlsConnectionText;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * The {@code $ssl_*} variables of nginx's ngx_stream_ssl_module for sessions that came in on a
 * {@code listen ... ssl} port, written as http's are ({@link TlsConnectionText}); not found on a
 * plain connection. The listener's TLS itself ({@code ssl_certificate}, ...) is the stream core's.
 */
public final class StreamSslVariables implements StreamFeature {

    @Override
    public void defineVariables(StreamCompile stream) {
        define(stream, "ssl_protocol", tls -> TlsConnectionText.protocol(session(tls)));
        define(stream, "ssl_cipher", tls -> TlsConnectionText.cipher(session(tls)));
        define(stream, "ssl_server_name", tls -> TlsConnectionText.serverName(session(tls)));
        define(stream, "ssl_session_id", tls -> HexFormat.of().formatHex(TlsConnectionText.sessionId(tls)));
        define(stream, "ssl_session_reused", tls -> TlsConnectionText.sessionReused(tls) ? "r" : ".");
        define(stream, "ssl_alpn_protocol", tls -> tls.applicationProtocol() == null ? ""
                : tls.applicationProtocol());
        define(stream, "ssl_client_verify", tls -> ClientVerify.variable(session(tls)));
        defineCert(stream, "ssl_client_s_dn", TlsConnectionText::subject);
        defineCert(stream, "ssl_client_i_dn", TlsConnectionText::issuer);
        defineCert(stream, "ssl_client_serial", TlsConnectionText::serial);
        defineCert(stream, "ssl_client_fingerprint", TlsConnectionText::fingerprint);
        defineCert(stream, "ssl_client_raw_cert", TlsConnectionText::pem);
        defineCert(stream, "ssl_client_cert", TlsConnectionText::indentedPem);
        defineCert(stream, "ssl_client_escaped_cert", TlsConnectionText::escapedPem);
    }

    /**
     * A variable that reads the client connection's TLS; as in nginx, not found (a log writes
     * {@code -}) on a plain connection and where the value is empty.
     */
    private static void define(StreamCompile stream, String name, Function<SslHandler, String> read) {
        stream.variables().define(name, s -> {
            SslHandler tls = s.client().pipeline().get(SslHandler.class);
            String value = tls == null ? null : read.apply(tls);
            return value == null || value.isEmpty() ? null : value;
        });
    }

    private static void defineCert(StreamCompile stream, String name, Function<X509Certificate, String> text) {
        define(stream, name, tls -> text.apply(TlsConnectionText.client(session(tls))));
    }

    private static SSLSession session(SslHandler tls) {
        return tls.engine().getSession();
    }
}
