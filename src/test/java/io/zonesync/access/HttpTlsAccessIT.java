package io.zonesync.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonesync.config.ConfigException;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TestCluster;
import io.zonesync.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API of a cluster member behind TLS and access rules: HTTPS with RSA and ECDSA certificates,
 * 403 for a denied address, 401 for writes without (or with wrong) credentials under
 * {@code limit_except GET}, and through all of it the member keeps serving and syncing.
 */
class HttpTlsAccessIT {
    @TempDir
    Path dir;
    private final List<InJvmNode> nodes = new ArrayList<>();
    private final LogCapture logs = new LogCapture();
    private TestPki pki;
    /** Node a's https, denied and plain API ports, then node b's API port. */
    private int tls;
    private int denied;
    private int plain;

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.ca("api-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("rsa", "127.0.0.1"), dir.resolve("rsa.pem"), dir.resolve("rsa.key"));
        TestPki.Issued ec = pki.issue(TestPki.ec(), "ec", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), "127.0.0.1");
        TestPki.write(dir.resolve("ec.pem"), ec.cert());
        TestPki.writeTraditionalKey(ec, dir.resolve("ec.key"), null); // SEC1 "EC PRIVATE KEY"
        String bcrypt = OpenBSDBCrypt.generate("2y", "writer-pw".getBytes(StandardCharsets.UTF_8), new byte[16], 5);
        Files.writeString(dir.resolve("users"), "# api writers\nwriter:" + bcrypt + "\nold:$apr1$x$12YdXEY0/hH4rDNkmZupO0\n"
                + "sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(InJvmNode::close);
        logs.close();
    }

    private static String config(List<Integer> peers, String servers) {
        StringBuilder list = new StringBuilder();
        peers.forEach(p -> list.append(" zone_sync_server 127.0.0.1:").append(p).append(";"));
        return """
                events { }
                stream { server { listen 127.0.0.1:0; zone_sync; zone_sync_connect_retry_interval 100ms;%s } }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    %s
                }
                """.formatted(list, servers);
    }

    private InJvmNode[] cluster() throws Exception {
        // three listeners of one node: three addresses (a client on this machine comes from 127.0.0.1)
        String serversA = """
                server { listen 127.0.0.1:0 ssl;
                         ssl_certificate %s; ssl_certificate_key %s;
                         ssl_certificate %s; ssl_certificate_key %s;
                         location /api { limit_except GET { auth_basic "zonesync api"; auth_basic_user_file users; }
                                         api write=on; }
                         location = /scheme { return 200 "$scheme [$https]"; } }
                server { listen 127.0.0.2:0; deny 127.0.0.1; allow all; location /api { api write=on; } }
                server { listen 127.0.0.3:0; location /api { api write=on; }
                         location = /scheme { return 200 "$scheme [$https]"; } }
                """.formatted(dir.resolve("rsa.pem"), dir.resolve("rsa.key"), dir.resolve("ec.pem"),
                dir.resolve("ec.key"));
        String serversB = "server { listen 127.0.0.1:0; location /api { api write=on; } }";
        Files.createDirectories(dir.resolve("a"));
        Files.copy(dir.resolve("users"), dir.resolve("a/users"));
        TestCluster<InJvmNode> c = TestCluster.start(2, (i, peers) -> config(peers, i == 0 ? serversA : serversB),
                (i, conf) -> InJvmNode.start(dir.resolve(i == 0 ? "a" : "b"), conf));
        nodes.addAll(c.nodes());
        InJvmNode a = c.node(0);
        tls = a.httpPort("127.0.0.1:0");
        denied = a.httpPort("127.0.0.2:0");
        plain = a.httpPort("127.0.0.3:0");
        return new InJvmNode[] {a, c.node(1)};
    }

    private HttpClient https() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
    }

    private HttpResponse<String> send(HttpClient c, String method, String path, String body, String auth)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void stillServesItsCluster(InJvmNode a, InJvmNode b, String key) {
        new Http("127.0.0.3", plain).post("/api/9/http/keyvals/one", "{\"" + key + "\":\"1\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> b.http().get("/api/9/http/keyvals/one").body().contains(key));
    }

    @Test
    void writesWithoutCredentialsGet401AndWithThemGoThroughOverTls() throws Exception {
        InJvmNode[] ab = cluster();
        HttpClient c = https();
        assertThat(send(c, "GET", "/api/9/http/keyvals/one", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = send(c, "POST", "/api/9/http/keyvals/one", "{\"anon\":\"1\"}", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"zonesync api\"");
        assertThat(send(c, "POST", "/api/9/http/keyvals/one", "{\"anon\":\"1\"}", "writer:wrong").statusCode())
                .isEqualTo(401);
        assertThat(send(c, "POST", "/api/9/http/keyvals/one", "{\"anon\":\"1\"}", "nobody:x").statusCode())
                .isEqualTo(401);
        assertThat(logs.contains("user \"writer\": password mismatch")).isTrue();
        assertThat(logs.contains("user \"nobody\" was not found")).isTrue();
        assertThat(send(c, "POST", "/api/9/http/keyvals/one", "{\"w\":\"1\"}", "writer:writer-pw").statusCode())
                .isEqualTo(201);
        assertThat(send(c, "PATCH", "/api/9/http/keyvals/one", "{\"w\":\"2\"}", "old:secret").statusCode())
                .isEqualTo(204);
        assertThat(send(c, "PATCH", "/api/9/http/keyvals/one", "{\"w\":\"3\"}", "sha:password").statusCode())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> ab[1].http().get("/api/9/http/keyvals/one").body()
                .contains("\"w\":\"3\""));
        assertThat(ab[1].http().get("/api/9/http/keyvals/one").body()).doesNotContain("anon");
        stillServesItsCluster(ab[0], ab[1], "after-401");
    }

    @Test
    void schemeAndHttpsSayWhetherTheConnectionIsTls() throws Exception {
        cluster();
        assertThat(send(https(), "GET", "/scheme", null, null).body()).isEqualTo("https [on]");
        HttpResponse<String> plainAnswer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.3:" + plain + "/scheme")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plainAnswer.body()).isEqualTo("http []");
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNginxs400() throws Exception {
        InJvmNode[] ab = cluster();
        HttpResponse<String> plain = new Http("127.0.0.1", tls).get("/api/9/http/keyvals/one");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("The plain HTTP request was sent to HTTPS port");
        assertThat(logs.contains("client sent plain HTTP request to HTTPS port")).isTrue();
        assertThat(send(https(), "GET", "/api/9/http/keyvals/one", null, null).statusCode()).isEqualTo(200);
        stillServesItsCluster(ab[0], ab[1], "after-plain");
    }

    @Test
    void aDeniedAddressGets403AndNothingIsWritten() throws Exception {
        InJvmNode[] ab = cluster();
        Http denied = new Http("127.0.0.2", this.denied);
        assertThat(denied.post("/api/9/http/keyvals/one", "{\"denied\":\"1\"}").statusCode()).isEqualTo(403);
        assertThat(denied.get("/api/9/http/keyvals/one").statusCode()).isEqualTo(403);
        assertThat(logs.contains("access forbidden by rule, client: ")).isTrue();
        stillServesItsCluster(ab[0], ab[1], "after-403");
        assertThat(ab[1].http().get("/api/9/http/keyvals/one").body()).doesNotContain("denied");
    }

    @Test
    void theListenerOffersBothRsaAndEcdsaCertificates() throws Exception {
        cluster();
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        for (String[] want : new String[][] {{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "EC"},
            {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "RSA"}}) {
            try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tls), 5000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(new String[] {want[0]});
                s.startHandshake();
                assertThat(s.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo(want[1]);
            }
        }
    }

    @Test
    void aBrokenCertificateRefusesTheReloadAndTheOldConfigurationKeepsServing() throws Exception {
        InJvmNode[] ab = cluster();
        String good = Files.readString(ab[0].dir.resolve("zonesync.conf"));
        Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ab[0].reload(good)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot load certificate \"" + dir.resolve("rsa.pem") + "\"")
                .hasMessageContaining("zonesync.conf:");
        HttpClient c = https();
        assertThat(send(c, "GET", "/api/9/http/keyvals/one", null, null).statusCode()).isEqualTo(200);
        stillServesItsCluster(ab[0], ab[1], "after-bad-reload");
    }
}
