package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.TestServer;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ssl_verify_client} against Debian's nginx: one server per mode (chosen by SNI), asked by
 * clients with no certificate, a trusted one, one from another CA and an expired one. The handshake takes them all; the request is answered 400 with nginx's page where
 * the mode requires what the certificate lacks, else served with {@code $ssl_client_verify}
 * reading {@code SUCCESS}, {@code NONE} or {@code FAILED:reason} in OpenSSL's words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientVerifyDifferentialIT {
    private static final String SERVERS = """
            server_tokens off;
            server { listen %1$s ssl; server_name on.test; ssl_certificate %2$s; ssl_certificate_key %3$s;
                     ssl_protocols TLSv1.2; ssl_session_cache off; ssl_session_tickets off;
                     ssl_verify_client on; ssl_client_certificate %4$s;
                     location / { return 200 "on $ssl_client_verify"; } }
            server { listen %1$s ssl; server_name optional.test; ssl_certificate %2$s; ssl_certificate_key %3$s;
                     ssl_protocols TLSv1.2; ssl_session_cache off; ssl_session_tickets off;
                     ssl_verify_client optional; ssl_client_certificate %4$s;
                     location / { return 200 "optional $ssl_client_verify"; } }
            server { listen %1$s ssl; server_name noca.test; ssl_certificate %2$s; ssl_certificate_key %3$s;
                     ssl_protocols TLSv1.2; ssl_session_cache off; ssl_session_tickets off;
                     ssl_verify_client optional_no_ca; ssl_client_certificate %4$s;
                     location / { return 200 "optional_no_ca $ssl_client_verify"; } }
            server { listen %1$s ssl; server_name bare.test; ssl_certificate %2$s; ssl_certificate_key %3$s;
                     ssl_protocols TLSv1.2; ssl_session_cache off; ssl_session_tickets off;
                     ssl_verify_client optional_no_ca;
                     location / { return 200 "bare $ssl_client_verify"; } }
            """;

    private Path dir;
    private TestPki pki;
    private Nginx nginx;
    private TestServer zonesync;
    private TestPki.Issued alice;
    private TestPki.Issued mallory;
    private TestPki.Issued expired;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        pki = TestPki.ca("verify-ca");
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("server", "on.test", "optional.test", "noca.test", "bare.test"),
                dir.resolve("s.pem"), dir.resolve("s.key"));
        alice = pki.issue("alice", "alice.test");
        mallory = TestPki.ca("other-ca").issue("mallory", "mallory.test");
        Instant now = Instant.now();
        expired = pki.issue(TestPki.rsa(), "old", now.minus(20, ChronoUnit.DAYS), now.minus(10, ChronoUnit.DAYS),
                "old.test");
        Files.createDirectories(dir.resolve("nginx"));
        nginx = Nginx.start(dir.resolve("nginx"), SERVERS.formatted("LISTEN", dir.resolve("s.pem"),
                dir.resolve("s.key"), ca));
        zonesync = TestServer.start(dir, "http { access_log off;\n" + SERVERS.formatted("127.0.0.1:0",
                dir.resolve("s.pem"), dir.resolve("s.key"), ca) + "}", new TlsModule());
    }

    @AfterAll
    void stop() throws Exception {
        if (zonesync != null) {
            zonesync.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private TestPki.Issued who(String name) {
        return switch (name) {
            case "alice" -> alice;
            case "mallory" -> mallory;
            case "expired" -> expired;
            default -> null;
        };
    }

    @ParameterizedTest
    @CsvSource({
        "on.test, none", "on.test, alice", "on.test, mallory", "on.test, expired",
        "optional.test, none", "optional.test, alice", "optional.test, mallory", "optional.test, expired",
        "noca.test, none", "noca.test, alice", "noca.test, mallory", "noca.test, expired",
        "bare.test, none", "bare.test, alice", "bare.test, mallory"})
    void answersAsNginx(String server, String client) throws Exception {
        SSLContext ctx = client(who(client));
        String expected = get(ctx, "127.0.0.2", nginx.port(), server);
        assertThat(get(ctx, "127.0.0.1", zonesync.port(), server)).as("%s with %s", server, client).isEqualTo(expected);
        if (server.equals("on.test") && client.equals("none")) {
            assertThat(expected).startsWith("HTTP/1.1 400").contains("No required SSL certificate was sent");
        }
        if (server.equals("noca.test") && client.equals("mallory")) {
            assertThat(expected).startsWith("HTTP/1.1 200").endsWith("FAILED:unable to verify the first certificate");
        }
    }

    /** A client that sends its certificate whatever CAs the server names, as curl does. */
    private SSLContext client(TestPki.Issued leaf) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(leaf == null ? null : new javax.net.ssl.KeyManager[] {new Always(leaf)}, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Status line and body of a GET over TLS 1.2 with the given SNI name (the signature of an error
     * page made alike), or the handshake's failure.
     */
    private static String get(SSLContext ctx, String host, int port, String sni) throws Exception {
        try {
            return exchange(ctx, host, port, sni).replace("<hr><center>nginx</center>", "<hr><center>SERVER</center>")
                    .replace("<hr><center>zonesync</center>", "<hr><center>SERVER</center>");
        } catch (javax.net.ssl.SSLException e) {
            return "handshake failed";
        }
    }

    private static String exchange(SSLContext ctx, String host, int port, String sni) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            return response.substring(0, response.indexOf("\r\n")) + "\n"
                    + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** Offers one certificate, whatever the server asks for. */
    private static final class Always extends X509ExtendedKeyManager {
        private final TestPki.Issued leaf;

        Always(TestPki.Issued leaf) {
            this.leaf = leaf;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {leaf.cert()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return leaf.keys().getPrivate();
        }
    }
}
