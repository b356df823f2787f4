package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ssl} and the server zones' {@code ssl} through a real node and real TLS clients: a good
 * handshake, a resumed session, no protocol or cipher in common, a client that rejects our
 * certificate, a handshake that times out, client certificates missing, expired, revoked and of an
 * unknown issuer, on http and stream listeners; the metrics page agrees, DELETE resets. Then the
 * handshakes the node makes as a client, with real TLS upstream servers: counted in each upstream
 * server's {@code ssl} and in {@code /ssl}.
 */
class SslApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private InJvmNode node;
    private TestPki pki;
    private TestPki stranger;
    private Http admin;
    private TestPki.Issued revoked;
    private final List<AutoCloseable> upstreams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.ca("ssl-api-ca");
        stranger = TestPki.ca("stranger-ca");
        TestPki.writePair(pki.issue("node", "127.0.0.2", "127.0.0.3", "127.0.0.4"), dir.resolve("node.pem"),
                dir.resolve("node.key"));
        pki.writeCa(dir.resolve("ca.pem"));
        String tls = "ssl_certificate node.pem; ssl_certificate_key node.key; ssl_protocols TLSv1.2;"
                + " ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;";
        String mtls = tls + " ssl_verify_client on; ssl_client_certificate ca.pem; ssl_crl crl.pem;";
        revoked = pki.issue("revoked");
        pki.revoke(revoked);
        // TLS upstream servers, each failing the node's handshake its own way (or not at all)
        Instant now = Instant.now();
        TestPki.Issued revokedServer = pki.issue("revoked-upstream", "good.test");
        pki.revoke(revokedServer);
        pki.writeCrl(dir.resolve("crl.pem"));
        TestPki.writePair(stranger.issue("stranger-client"), dir.resolve("client.pem"), dir.resolve("client.key"));
        int good = upstream(pki.issue("good", "good.test"), "TLSv1.2", false);
        int expiredUp = upstream(pki.issue(TestPki.rsa(), "expired-upstream", now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)), "good.test"), "TLSv1.2", false);
        int other = upstream(pki.issue("other", "other.test"), "TLSv1.2", false);
        int revokedUp = upstream(revokedServer, "TLSv1.2", false);
        int rejecting = upstream(pki.issue("strict", "good.test"), "TLSv1.2", true);
        int tls13 = upstream(pki.issue("modern", "good.test"), "TLSv1.3", false);
        String verified = "proxy_ssl on; proxy_ssl_verify on; proxy_ssl_trusted_certificate ca.pem;"
                + " proxy_ssl_name good.test;";
        ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")); // never accepts
        upstreams.add(stalling);
        node = InJvmNode.start(dir, """
                events { }
                stream {
                    server { listen 127.0.0.3:0 ssl; status_zone tcp; %s ssl_handshake_timeout 1s; return "hi"; }
                    upstream good_tcp { zone good_tcp 64k; server 127.0.0.1:%d; }
                    upstream other_tcp { zone other_tcp 64k; server 127.0.0.1:%d; }
                    server { listen 127.0.0.5:0; proxy_pass good_tcp; %s }
                    server { listen 127.0.0.6:0; proxy_pass other_tcp; %s }
                }
                http {
                    access_log off;
                    upstream good { zone good 64k; server 127.0.0.1:%d; }
                    upstream expired { zone expired 64k; server 127.0.0.1:%d; }
                    upstream other { zone other 64k; server 127.0.0.1:%d; }
                    upstream revoked { zone revoked 64k; server 127.0.0.1:%d; }
                    upstream rejecting { zone rejecting 64k; server 127.0.0.1:%d; }
                    upstream tls13 { zone tls13 64k; server 127.0.0.1:%d; }
                    upstream stalling { zone stalling 64k; server 127.0.0.1:%d; }
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location /metrics { metrics; }
                        proxy_ssl_verify on; proxy_ssl_trusted_certificate ca.pem; proxy_ssl_name good.test;
                        location /good { proxy_pass https://good; }
                        location /expired { proxy_pass https://expired; }
                        location /other { proxy_pass https://other; }
                        location /revoked { proxy_pass https://revoked; proxy_ssl_crl crl.pem; }
                        location /rejecting {
                            proxy_pass https://rejecting;
                            proxy_ssl_certificate client.pem; proxy_ssl_certificate_key client.key;
                        }
                        location /tls13 { proxy_pass https://tls13; proxy_ssl_protocols TLSv1.2; }
                        location /stalling { proxy_pass https://stalling; proxy_connect_timeout 1s; }
                    }
                    server {
                        listen 127.0.0.2:0 ssl; status_zone front; %s
                        ssl_session_cache shared:tls:1m;
                        client_header_timeout 2s;
                        location / { return 200 "ok"; }
                    }
                    server { listen 127.0.0.4:0 ssl; status_zone mtls; %s location / { return 200 "ok"; } }
                }
                """.formatted(mtls, good, other, verified, verified, good, expiredUp, other, revokedUp, rejecting, tls13,
                stalling.getLocalPort(), tls, mtls));
        admin = node.http();
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        for (AutoCloseable u : upstreams) {
            u.close();
        }
    }

    @Test
    void handshakesMadeWithUpstreamServersAreCountedForEachServerAndInTheNodesFigures() throws Exception {
        assertThat(api("/9/http/upstreams/good").get("peers").get(0).has("ssl")).as("no handshake yet").isFalse();
        // a full handshake, then one that resumes its session (proxy_ssl_session_reuse is on by default)
        assertThat(admin.get("/good").statusCode()).isEqualTo(200);
        assertThat(admin.get("/good").statusCode()).isEqualTo(200);
        assertThat(admin.get("/expired").statusCode()).isEqualTo(502);
        assertThat(admin.get("/other").statusCode()).isEqualTo(502);
        assertThat(admin.get("/revoked").statusCode()).isEqualTo(502);
        assertThat(admin.get("/rejecting").statusCode()).isEqualTo(502);
        assertThat(admin.get("/tls13").statusCode()).isEqualTo(502);
        assertThat(admin.get("/stalling").statusCode()).isEqualTo(504);
        assertThat(peerSsl("good")).isEqualTo(upstreamSsl(2, 0, 1, 0, 0, 0, 0, 0, 0));
        assertThat(peerSsl("expired")).isEqualTo(upstreamSsl(0, 1, 0, 0, 0, 0, 1, 0, 0));
        assertThat(peerSsl("revoked")).isEqualTo(upstreamSsl(0, 1, 0, 0, 0, 0, 0, 1, 0));
        assertThat(peerSsl("other")).isEqualTo(upstreamSsl(0, 1, 0, 0, 0, 0, 0, 0, 1));
        assertThat(peerSsl("rejecting")).isEqualTo(upstreamSsl(0, 1, 0, 0, 0, 1, 0, 0, 0));
        assertThat(peerSsl("tls13")).isEqualTo(upstreamSsl(0, 1, 0, 1, 0, 0, 0, 0, 0));
        assertThat(peerSsl("stalling")).isEqualTo(upstreamSsl(0, 1, 0, 0, 1, 0, 0, 0, 0));
        // versions before 8 show no ssl in a server
        assertThat(api("/7/http/upstreams/good").get("peers").get(0).has("ssl")).isFalse();

        // stream proxy_ssl: the same, in the stream upstream's servers
        assertThat(relay("127.0.0.5:0", "GET / HTTP/1.0\r\n\r\n")).endsWith("ok");
        assertThat(relay("127.0.0.5:0", "GET / HTTP/1.0\r\n\r\n")).endsWith("ok");
        assertThat(relay("127.0.0.6:0", "")).as("closed when the handshake failed").isEmpty();
        await().untilAsserted(() -> {
            assertThat(api("/9/stream/upstreams/good_tcp").get("peers").get(0).get("ssl").toString())
                    .isEqualTo(upstreamSsl(2, 0, 1, 0, 0, 0, 0, 0, 0));
            assertThat(api("/9/stream/upstreams/other_tcp").get("peers").get(0).get("ssl").toString())
                    .isEqualTo(upstreamSsl(0, 1, 0, 0, 0, 0, 0, 0, 1));
        });

        // the node's figures count them too (no listener of this node speaks TLS in this test)
        assertThat(api("/9/ssl").toString()).isEqualTo(
                "{\"handshakes\":4,\"handshakes_failed\":7,\"session_reuses\":2,\"no_common_protocol\":1,"
                + "\"no_common_cipher\":0,\"handshake_timeout\":1,\"peer_rejected_cert\":1,"
                + "\"verify_failures\":{\"no_cert\":0,\"expired_cert\":1,\"revoked_cert\":1,"
                + "\"hostname_mismatch\":2,\"other\":0}}");
        String server = "127.0.0.1:" + api("/9/http/upstreams/good").get("peers").get(0).get("server").asText()
                .replaceFirst(".*:", "");
        String metrics = admin.get("/metrics").body();
        assertThat(metrics)
                .contains("\nnginxplus_upstream_server_ssl_handshakes{server=\"" + server + "\",upstream=\"good\"} 2.0\n")
                .contains("\nnginxplus_upstream_server_ssl_session_reuses{server=\"" + server
                        + "\",upstream=\"good\"} 1.0\n")
                .contains("\nnginxplus_upstream_server_ssl_handshakes_failed{server=\"" + server
                        + "\",upstream=\"good\"} 0.0\n")
                .contains("\nnginxplus_stream_upstream_server_ssl_handshakes{server=\"" + server
                        + "\",upstream=\"good_tcp\"} 2.0\n")
                .contains("\nnginxplus_ssl_handshakes_failed 7.0\n");

        // the upstream's DELETE resets its servers' figures; the object stays, the server has had TLS
        assertThat(checked("DELETE", "/api/9/http/upstreams/expired").statusCode()).isEqualTo(204);
        assertThat(peerSsl("expired")).isEqualTo(upstreamSsl(0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(peerSsl("good")).as("other upstreams keep theirs").isEqualTo(upstreamSsl(2, 0, 1, 0, 0, 0, 0, 0, 0));
    }

    /** A TLS server on 127.0.0.1 answering one HTTP response per connection; {@code strict}: it requires a client certificate of our CA. */
    private int upstream(TestPki.Issued cert, String protocol, boolean strict) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(TestPki.presenting(cert), TestPki.trusting(pki.ca.cert()), null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] {protocol});
        server.setNeedClientAuth(strict);
        upstreams.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread answer = new Thread(() -> answer(s));
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "tls-upstream-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }


    @Test
    void handshakesOfEveryKindAreCountedWhereTheyHappened() throws Exception {
        // nothing yet (and the API's document is loaded here, not inside a wait below)
        assertThat(api("/9/ssl").get("handshakes").asLong()).isZero();
        int front = node.httpPort("127.0.0.2:0");
        SSLContext trusting = context(pki.ca.cert(), null);
        // a good handshake, then the same client resumes its session
        assertThat(request(trusting, "127.0.0.2", front, "TLSv1.2", null)).startsWith("HTTP/1.1 200");
        assertThat(request(trusting, "127.0.0.2", front, "TLSv1.2", null)).startsWith("HTTP/1.1 200");
        // no protocol in common (the server has TLSv1.2 only), no cipher in common
        assertFails(() -> request(trusting, "127.0.0.2", front, "TLSv1.3", null));
        assertFails(() -> request(trusting, "127.0.0.2", front, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        // a client that does not trust our certificate tells us so with an alert
        assertFails(() -> request(context(stranger.ca.cert(), null), "127.0.0.2", front, "TLSv1.2", null));
        await().untilAsserted(() -> assertThat(zone("/9/http/server_zones/front")).isEqualTo(
                "{\"handshakes\":2,\"handshakes_failed\":3,\"session_reuses\":1,\"no_common_protocol\":1,"
                + "\"no_common_cipher\":1,\"handshake_timeout\":0,\"peer_rejected_cert\":1,"
                + "\"verify_failures\":{\"no_cert\":0,\"expired_cert\":0,\"revoked_cert\":0,\"other\":0}}"));

        // ssl_verify_client on, http: the handshake completes, the request is refused (400), and the
        // certificate's fault is counted
        int mtls = node.httpPort("127.0.0.4:0");
        Instant now = Instant.now();
        TestPki.Issued good = pki.issue("client");
        TestPki.Issued expired = pki.issue(TestPki.rsa(), "expired", now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        TestPki.Issued foreign = stranger.issue("foreign");
        assertThat(request(context(pki.ca.cert(), good), "127.0.0.4", mtls, "TLSv1.2", null)).startsWith("HTTP/1.1 200");
        assertThat(request(trusting, "127.0.0.4", mtls, "TLSv1.2", null)).startsWith("HTTP/1.1 400");
        assertThat(request(context(pki.ca.cert(), expired), "127.0.0.4", mtls, "TLSv1.2", null)).startsWith("HTTP/1.1 400");
        assertThat(request(context(pki.ca.cert(), revoked), "127.0.0.4", mtls, "TLSv1.2", null)).startsWith("HTTP/1.1 400");
        assertThat(request(context(pki.ca.cert(), foreign), "127.0.0.4", mtls, "TLSv1.2", null)).startsWith("HTTP/1.1 400");
        await().untilAsserted(() -> assertThat(zone("/9/http/server_zones/mtls")).isEqualTo(
                "{\"handshakes\":5,\"handshakes_failed\":0,\"session_reuses\":0,\"no_common_protocol\":0,"
                + "\"no_common_cipher\":0,\"handshake_timeout\":0,\"peer_rejected_cert\":0,"
                + "\"verify_failures\":{\"no_cert\":1,\"expired_cert\":1,\"revoked_cert\":1,\"other\":1}}"));

        // stream, ssl_verify_client on: a certificate refused ends the handshake
        int tcp = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.3:0")).getPort();
        assertThat(exchange(context(pki.ca.cert(), good), "127.0.0.3", tcp)).isEqualTo("hi");
        assertFails(() -> exchange(trusting, "127.0.0.3", tcp));
        assertFails(() -> exchange(context(pki.ca.cert(), expired), "127.0.0.3", tcp));
        // a client that never says hello: ssl_handshake_timeout (1s) ends it
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.3", tcp));
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
        await().untilAsserted(() -> {
            JsonNode ssl = api("/9/stream/server_zones/tcp").get("ssl");
            assertThat(ssl.get("handshakes").asLong()).isEqualTo(1);
            assertThat(ssl.get("handshakes_failed").asLong()).isEqualTo(3);
            assertThat(ssl.get("handshake_timeout").asLong()).isEqualTo(1);
            assertThat(ssl.get("verify_failures").get("no_cert").asLong()).isEqualTo(1);
            assertThat(ssl.get("verify_failures").get("expired_cert").asLong()).isEqualTo(1);
        });

        // the node's figures are the sum of its listeners', on the metrics page too
        await().untilAsserted(() -> assertThat(api("/9/ssl").toString()).isEqualTo(
                "{\"handshakes\":8,\"handshakes_failed\":6,\"session_reuses\":1,\"no_common_protocol\":1,"
                + "\"no_common_cipher\":1,\"handshake_timeout\":1,\"peer_rejected_cert\":1,"
                + "\"verify_failures\":{\"no_cert\":2,\"expired_cert\":2,\"revoked_cert\":1,"
                + "\"hostname_mismatch\":0,\"other\":1}}"));
        String metrics = admin.get("/metrics").body();
        assertThat(metrics).contains("\nnginxplus_ssl_handshakes 8.0\n").contains("\nnginxplus_ssl_handshakes_failed 6.0\n")
                .contains("\nnginxplus_ssl_session_reuses 1.0\n")
                .contains("\nnginxplus_server_zone_ssl_handshakes{server_zone=\"mtls\"} 5.0\n")
                .contains("\nnginxplus_stream_server_zone_ssl_handshakes_failed{server_zone=\"tcp\"} 3.0\n");

        assertThat(checked("DELETE", "/api/9/ssl").statusCode()).isEqualTo(204);
        assertThat(api("/9/ssl").get("handshakes").asLong()).isZero();
        assertThat(api("/9/http/server_zones/front").get("ssl").get("handshakes").asLong()).as("zones keep theirs")
                .isEqualTo(2);
        assertThat(checked("DELETE", "/api/9/http/server_zones/front").statusCode()).isEqualTo(204);
        assertThat(api("/9/http/server_zones/front").get("ssl").get("handshakes_failed").asLong()).isZero();
    }

    /** As nginx's http, a TLS handshake has {@code client_header_timeout} to finish (http has no ssl_handshake_timeout). */
    @Test
    void anHttpsClientThatStallsInItsHandshakeIsClosedAfterClientHeaderTimeout() throws Exception {
        int front = node.httpPort("127.0.0.2:0");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.2", front));
            // a TLS record header announcing a ClientHello that never comes
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40});
            s.setSoTimeout(20_000); // well under the 60 s the handshake was given before
            while (s.getInputStream().read() != -1) {
                // an alert, if the server sends one, then the end
            }
        }
        await().untilAsserted(() -> assertThat(api("/9/http/server_zones/front").get("ssl")
                .get("handshake_timeout").asLong()).isEqualTo(1));
    }

    /** Completes the handshake, reads a request head and answers "ok"; a failed handshake just ends. */
    private static void answer(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            ((SSLSocket) s).startHandshake();
            InputStream in = s.getInputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c == -1) {
                    return;
                }
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // the node refused the handshake, or it was refused
        }
    }

    /** A plain TCP session through the stream server listening as {@code listen}: what comes back to {@code request}. */
    private String relay(String listen, String request) throws IOException {
        int port = ((InetSocketAddress) node.node.streamAddresses().get(listen)).getPort();
        try (Socket s = new Socket(listen.substring(0, listen.indexOf(':')), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The {@code ssl} of the one server of the http upstream {@code name}. */
    private String peerSsl(String name) throws Exception {
        return api("/9/http/upstreams/" + name).get("peers").get(0).get("ssl").toString();
    }

    /** An upstream server's {@code ssl} with these figures, in NGINX Plus's order. */
    private static String upstreamSsl(long handshakes, long failed, long reuses, long noProtocol, long timeout,
            long rejected, long expired, long revoked, long hostname) {
        return ("{\"handshakes\":%d,\"handshakes_failed\":%d,\"session_reuses\":%d,\"no_common_protocol\":%d,"
                + "\"handshake_timeout\":%d,\"peer_rejected_cert\":%d,\"verify_failures\":{\"expired_cert\":%d,"
                + "\"revoked_cert\":%d,\"hostname_mismatch\":%d,\"other\":0}}").formatted(handshakes, failed, reuses,
                noProtocol, timeout, rejected, expired, revoked, hostname);
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static void assertFails(Attempt a) {
        try {
            Object got = a.run();
            throw new AssertionError("the handshake succeeded: " + got);
        } catch (SSLException | java.net.SocketException e) {
            // refused, as expected
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends the client's certificate whatever issuers the server names (a JDK client would keep a stranger's back). */
    private static final class AlwaysSend extends X509ExtendedKeyManager {
        private final X509KeyManager keys;

        AlwaysSend(X509KeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                javax.net.ssl.SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private SSLContext context(Certificate trusted, TestPki.Issued client) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(client == null ? null : new KeyManager[] {new AlwaysSend((X509KeyManager) TestPki.presenting(client)[0])},
                TestPki.trusting(trusted), null);
        return ctx;
    }

    /** One HTTP request over TLS with this protocol (and only this cipher when given); the status line. */
    private static String request(SSLContext ctx, String host, int port, String protocol, String cipher)
            throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {protocol});
            if (cipher != null) {
                s.setEnabledCipherSuites(new String[] {cipher});
            }
            s.startHandshake();
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return firstLine(s.getInputStream());
        }
    }

    /** A stream session over TLS: what the server sends before closing. */
    private static String exchange(SSLContext ctx, String host, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }

    private HttpResponse<String> checked(String method, String uri) {
        HttpResponse<String> r = admin.send(method, uri, null);
        Map<String, String> headers = r.headers().firstValue("content-type").map(t -> Map.of("Content-Type", t))
                .orElse(Map.of());
        ApiSpec.check(method, uri.replaceFirst("^/api", ""), new ApiResponse(r.statusCode(), headers,
                r.body().getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = checked("GET", "/api" + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String zone(String path) throws Exception {
        return api(path).get("ssl").toString();
    }
}
