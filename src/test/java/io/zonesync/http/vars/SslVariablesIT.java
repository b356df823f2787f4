package io.zonesync.http.vars;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.TestServer;
import io.zonesync.testing.TestPki;
import io.zonesync.tls.TlsModule;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code $ssl_*} variables over a real TLS connection, with and without a client certificate. */
class SslVariablesIT {
    @TempDir
    Path dir;

    private static final String VARS = "$https|$scheme|$ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_alpn_protocol|"
            + "$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial|$ssl_client_fingerprint|"
            + "$ssl_session_id|$ssl_session_reused";

    private TestServer server(TestPki pki) throws Exception {
        return server(pki, "ssl_session_tickets off;");
    }

    private TestServer server(TestPki pki, String sessions) throws Exception {
        pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("server", "www.example.test"), dir.resolve("s.pem"), dir.resolve("s.key"));
        return TestServer.start(dir, """
                http { access_log off;
                    server { listen 127.0.0.1:0 ssl; ssl_certificate s.pem; ssl_certificate_key s.key;
                             ssl_protocols TLSv1.2; %s
                             ssl_verify_client optional; ssl_client_certificate ca.pem;
                             location / { return 200 "%s"; }
                             location /cert { return 200 "$ssl_client_escaped_cert"; } } }
                """.formatted(sessions, VARS), new TlsModule());
    }

    static SSLContext client(TestPki pki, TestPki.Issued leaf) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (leaf != null) {
            keys.setKeyEntry("me", leaf.keys().getPrivate(), "pw".toCharArray(), new Certificate[] {leaf.cert()});
        }
        kmf.init(keys, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String get(SSLContext ctx, int port, String path) throws Exception {
        return get(ctx, "127.0.0.1", port, path);
    }

    /** The body of a GET over TLS 1.2 with SNI www.example.test, offering ALPN http/1.1. */
    static String get(SSLContext ctx, String host, int port, String path) throws Exception {
        return get(ctx, host, port, "www.example.test", path);
    }

    private static String get(SSLContext ctx, String host, int port, String sni, String path) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void withoutAClientCertificate() throws Exception {
        TestPki pki = TestPki.ca("vars-ca");
        try (TestServer server = server(pki)) {
            String[] v = get(client(pki, null), server.port(), "/").split("\\|", -1);
            assertThat(v[0]).isEqualTo("on");
            assertThat(v[1]).isEqualTo("https");
            assertThat(v[2]).matches("TLSv1\\.[23]");
            assertThat(v[3]).isNotEmpty();
            assertThat(v[4]).isEqualTo("www.example.test");
            assertThat(v[5]).isEqualTo("http/1.1");
            assertThat(v[6]).isEqualTo("NONE");
            assertThat(List.of(v[7], v[8], v[9], v[10])).containsOnly("");
            assertThat(get(client(pki, null), server.port(), "/cert")).isEmpty();
        }
    }

    /** The second connection of a client resumes by the session cache or a ticket, not when both are off. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssl_session_cache shared:S:1m; ssl_session_tickets off; | r",
        "ssl_session_cache off; ssl_session_tickets on; | r",
        "ssl_session_cache off; | r",
        "ssl_session_cache off; ssl_session_tickets off; | ."})
    void sessionsResumeAsConfigured(String conf, String reused) throws Exception {
        TestPki pki = TestPki.ca("vars-ca");
        try (TestServer server = server(pki, conf)) {
            SSLContext ctx = client(pki, null);
            assertThat(get(ctx, server.port(), "/").split("\\|", -1)[12]).isEqualTo(".");
            assertThat(get(ctx, server.port(), "/").split("\\|", -1)[12]).isEqualTo(reused);
        }
    }

    /** A server picked by SNI gets its own certificate and its own ssl_session_tickets setting. */
    @Test
    void sniPicksTheServerAndItsTls() throws Exception {
        TestPki pki = TestPki.ca("vars-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("server", "www.example.test"), dir.resolve("s.pem"), dir.resolve("s.key"));
        TestPki.writePair(pki.issue("other", "other.example.test"), dir.resolve("o.pem"), dir.resolve("o.key"));
        try (TestServer server = TestServer.start(dir, """
                http { access_log off;
                    server { listen 127.0.0.1:0 ssl; server_name www.example.test;
                             ssl_certificate s.pem; ssl_certificate_key s.key;
                             location / { return 200 "www $ssl_server_name"; } }
                    server { listen 127.0.0.1:0 ssl; server_name other.example.test;
                             ssl_certificate o.pem; ssl_certificate_key o.key; ssl_protocols TLSv1.2;
                             ssl_session_cache off; ssl_session_tickets off;
                             location / { return 200 "other $ssl_server_name $ssl_session_reused"; } } }
                """, new TlsModule())) {
            // one client context per name: the JDK client resumes by address and reuses the session's SNI
            assertThat(get(client(pki, null), "127.0.0.1", server.port(), "www.example.test", "/"))
                    .isEqualTo("www www.example.test");
            SSLContext ctx = client(pki, null);
            assertThat(get(ctx, "127.0.0.1", server.port(), "other.example.test", "/"))
                    .isEqualTo("other other.example.test .");
            assertThat(get(ctx, "127.0.0.1", server.port(), "other.example.test", "/"))
                    .isEqualTo("other other.example.test .");
        }
    }

    @Test
    void withAClientCertificate() throws Exception {
        TestPki pki = TestPki.ca("vars-ca");
        TestPki.Issued leaf = pki.issue("alice", "alice.example.test");
        try (TestServer server = server(pki)) {
            String[] v = get(client(pki, leaf), server.port(), "/").split("\\|", -1);
            assertThat(v[6]).isEqualTo("SUCCESS");
            assertThat(v[7]).isEqualTo("CN=alice");
            assertThat(v[8]).isEqualTo("CN=vars-ca");
            assertThat(v[9]).matches("([0-9A-F]{2})+");
            assertThat(new BigInteger(v[9], 16)).isEqualTo(leaf.cert().getSerialNumber());
            assertThat(v[10]).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(leaf.cert().getEncoded())));
            assertThat(get(client(pki, leaf), server.port(), "/cert"))
                    .startsWith("-----BEGIN%20CERTIFICATE-----%0A").endsWith("-----END%20CERTIFICATE-----%0A");
        }
    }
}
