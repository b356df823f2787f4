package io.zonesync.http.vars;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.TestServer;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestPki;
import io.zonesync.tls.TlsModule;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same TLS server in nginx 1.22 and zonesync, asked by the same client (TLS 1.2, one cipher,
 * SNI, ALPN): the {@code $ssl_*} variables must read the same, but for the random session id.
 */
class SslVariablesDifferentialIT {
    @TempDir
    Path dir;

    private static final String SERVER = """
            server { listen %s ssl; ssl_certificate %s; ssl_certificate_key %s;
                     ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256; ssl_session_cache off;
                     ssl_verify_client optional; ssl_client_certificate %s;
                     location / { return 200 "$https|$ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_alpn_protocol|\
            $ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial|$ssl_client_fingerprint|\
            $ssl_session_reused"; }
                     location /cert { return 200 "$ssl_client_cert"; }
                     location /raw { return 200 "$ssl_client_raw_cert"; }
                     location /escaped { return 200 "$ssl_client_escaped_cert"; } }
            """;

    @Test
    void sameVariablesAsNginx() throws Exception {
        TestPki pki = TestPki.ca("diff-ca");
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("server", "www.example.test"), dir.resolve("s.pem"), dir.resolve("s.key"));
        TestPki.Issued alice = pki.issue("alice", "alice.example.test");
        Files.createDirectories(dir.resolve("nginx"));
        String[] paths = {"/", "/cert", "/raw", "/escaped"};
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"), SERVER.formatted("LISTEN", dir.resolve("s.pem"),
                dir.resolve("s.key"), ca));
                TestServer zonesync = TestServer.start(dir, "http { access_log off;\n" + SERVER.formatted(
                        "127.0.0.1:0", dir.resolve("s.pem"), dir.resolve("s.key"), ca) + "}", new TlsModule())) {
            for (TestPki.Issued who : new TestPki.Issued[] {null, alice}) {
                SSLContext client = SslVariablesIT.client(pki, who);
                for (String path : paths) {
                    String expected = SslVariablesIT.get(client, "127.0.0.2", nginx.port(), path);
                    if (path.equals("/")) {
                        assertThat(expected).startsWith("on|TLSv1.2|ECDHE-RSA-AES128-GCM-SHA256|www.example.test|http/1.1|"
                                + (who == null ? "NONE|" : "SUCCESS|CN=alice|CN=diff-ca|"));
                    }
                    assertThat(SslVariablesIT.get(client, "127.0.0.1", zonesync.port(), path))
                            .as("%s with%s a client certificate", path, who == null ? "out" : "")
                            .isEqualTo(expected);
                }
            }
        }
    }
}
