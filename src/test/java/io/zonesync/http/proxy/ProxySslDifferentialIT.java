package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code proxy_pass https://} and the {@code proxy_ssl_*} directives against Debian's nginx in
 * front of the same https backend (an nginx that echoes the SNI name, session reuse, the client
 * certificate and the request count of its connection): verify off and on, a wrong name, an
 * untrusted CA (502) and their error log lines, SNI from {@code proxy_ssl_name} with variables, a client certificate, session
 * reuse over fresh connections and keepalive connections over TLS.
 */
class ProxySslDifferentialIT extends DifferentialSuite {
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        TestPki pki = TestPki.ca("Upstream CA");
        TestPki other = TestPki.ca("Other CA");
        TestPki.writePair(pki.issue("backend.test", "backend.test", "*.backend.test"), dir.resolve("backend.pem"),
                dir.resolve("backend.key"));
        TestPki.writePair(pki.issue("front client"), dir.resolve("client.pem"), dir.resolve("client.key"));
        pki.writeCa(dir.resolve("ca.pem"));
        other.writeCa(dir.resolve("other.pem"));
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN ssl;
                    ssl_certificate %1$s/backend.pem;
                    ssl_certificate_key %1$s/backend.key;
                    ssl_verify_client optional_no_ca;
                    ssl_session_cache shared:up:1m;
                    location / {
                        return 200 "$uri sni=[$ssl_server_name] reused=[$ssl_session_reused] client=[$ssl_client_s_dn] n=$connection_requests";
                    }
                }
                """.formatted(dir));
        return Differential.start(dir, """
                access_log off;
                upstream tls_pool { server %1$s; keepalive 4; }
                server {
                    listen LISTEN;
                    proxy_ssl_trusted_certificate %2$s/ca.pem;
                    # nginx keeps sessions per upstream server whatever the location's proxy_ssl_* say,
                    # so a session resumed from another location skips its checks: reuse only where tested
                    proxy_ssl_session_reuse off;
                    location /off/ { proxy_pass https://%1$s; }
                    location /verify/ { proxy_ssl_verify on; proxy_ssl_name backend.test; proxy_pass https://%1$s; }
                    location /wildcard/ { proxy_ssl_verify on; proxy_ssl_name a.backend.test; proxy_pass https://%1$s; }
                    location /wrongname/ { proxy_ssl_verify on; proxy_ssl_name other.test; proxy_pass https://%1$s; }
                    location /ipname/ { proxy_ssl_verify on; proxy_pass https://%1$s; }
                    location /untrusted/ {
                        proxy_ssl_verify on; proxy_ssl_trusted_certificate %2$s/other.pem;
                        proxy_ssl_name backend.test; proxy_pass https://%1$s;
                    }
                    location /sni/ { proxy_ssl_server_name on; proxy_ssl_name backend.test; proxy_pass https://%1$s; }
                    location /sni-ip/ { proxy_ssl_server_name on; proxy_pass https://%1$s; }
                    location /sni-var/ {
                        proxy_ssl_server_name on; proxy_ssl_verify on; proxy_ssl_name $arg_n.backend.test;
                        proxy_pass https://%1$s;
                    }
                    location /client/ {
                        proxy_ssl_certificate %2$s/client.pem; proxy_ssl_certificate_key %2$s/client.key;
                        proxy_pass https://%1$s;
                    }
                    location /protocols/ { proxy_ssl_protocols TLSv1.2; proxy_ssl_ciphers HIGH; proxy_pass https://%1$s; }
                    location /reuse/ { proxy_ssl_session_reuse on; proxy_pass https://%1$s; }
                    location /verify-reuse/ {
                        proxy_ssl_session_reuse on; proxy_ssl_verify on; proxy_ssl_name $arg_n; proxy_pass https://%1$s;
                    }
                    location /var/ {
                        set $b %1$s; proxy_ssl_verify on; proxy_ssl_name backend.test; proxy_pass https://$b/v$uri;
                    }
                    location /var-name/ { set $b %1$s; proxy_ssl_verify on; proxy_pass https://$b; }
                    location /noreuse/ { proxy_ssl_session_reuse off; proxy_pass https://%1$s; }
                    location /keepalive/ { proxy_ssl_session_reuse on; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass https://tls_pool; }
                }
                """.formatted(backend.address(), dir));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static List<String> requests() {
        return List.of("/off/a", "/verify/a", "/wildcard/a", "/wrongname/a", "/ipname/a", "/untrusted/a", "/sni/a",
                "/sni-ip/a", "/sni-var/a?n=x", "/sni-var/a?n=x.y", "/client/a", "/protocols/a", "/var/a?q=1",
                "/var-name/a");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void proxiesToHttpsAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.get(target), "GET " + target);
    }

    @Test
    void theAnswersComparedShowWhatTheBackendSaw() throws Exception {
        assertThat(servers.get("/off/a").zonesync().body()).isEqualTo("/off/a sni=[] reused=[.] client=[] n=1");
        assertThat(servers.get("/sni/a").zonesync().body()).contains("sni=[backend.test]");
        assertThat(servers.get("/sni-var/a?n=q").zonesync().body()).contains("sni=[q.backend.test]");
        assertThat(servers.get("/client/a").zonesync().body()).contains("client=[CN=front client]");
        assertThat(servers.get("/untrusted/a").zonesync().status()).isEqualTo(502);
        assertThat(servers.get("/wrongname/a").zonesync().status()).isEqualTo(502);
    }

    @Test
    void logsVerifyErrorsInNginxWords() throws Exception {
        try (LogCapture log = new LogCapture()) {
            servers.get("/untrusted/a");
            servers.get("/wrongname/a");
            assertThat(log.lines()).anyMatch(l -> l.contains("upstream SSL certificate verify error: (21:unable to"
                    + " verify the first certificate) while SSL handshaking to upstream"));
            assertThat(log.lines()).anyMatch(l -> l.contains("upstream SSL certificate does not match \"other.test\""
                    + " while SSL handshaking to upstream"));
        }
        assertThat(servers.nginxErrors()).contains("upstream SSL certificate verify error: (21:unable to verify the"
                + " first certificate) while SSL handshaking to upstream")
                .contains("upstream SSL certificate does not match \"other.test\" while SSL handshaking to upstream");
    }

    @Test
    void resumesSessionsAsNginxDoes() throws Exception {
        servers.get("/reuse/first");
        Differential.Pair second = servers.get("/reuse/second");
        assertSameAnswers(second, "second /reuse/");
        assertThat(second.zonesync().body()).contains("reused=[r]");
        servers.get("/noreuse/first");
        Differential.Pair again = servers.get("/noreuse/second");
        assertSameAnswers(again, "second /noreuse/");
        assertThat(again.zonesync().body()).contains("reused=[.]");
    }

    /** Where nginx would resume the session of another name unchecked, the name is checked again. */
    @Test
    void aResumedSessionIsOnlyForTheNameItWasVerifiedFor() throws Exception {
        servers.get("/verify-reuse/a?n=backend.test");
        assertThat(servers.get("/verify-reuse/a?n=backend.test").zonesync().body()).contains("reused=[r]");
        assertThat(servers.get("/verify-reuse/a?n=other.test").zonesync().status()).isEqualTo(502);
    }

    @Test
    void keepsTlsConnectionsAlive() throws Exception {
        servers.get("/keepalive/first");
        Differential.Pair second = servers.get("/keepalive/second");
        assertSameAnswers(second, "second /keepalive/");
        assertThat(second.zonesync().body()).endsWith(" n=2");
    }
}
