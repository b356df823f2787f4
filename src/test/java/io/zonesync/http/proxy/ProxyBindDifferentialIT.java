package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.Nginx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code proxy_bind} against Debian's nginx in front of the same backend, an nginx that answers
 * with the address the connection came from: a fixed address, one from a variable (empty: no
 * bind), {@code off} under a server-level bind, a value that is no address (logged, no bind) and an
 * address this host does not have (the bind fails: 500, no other server tried).
 */
class ProxyBindDifferentialIT extends DifferentialSuite {
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server { listen LISTEN; location / { return 200 "from $remote_addr"; } }
                """);
        return Differential.start(dir, """
                access_log off;
                upstream two { server %1$s; server %1$s; }
                server {
                    listen LISTEN;
                    proxy_bind 127.0.0.7;
                    location /server/ { proxy_pass http://%1$s; }
                    location /fixed/ { proxy_bind 127.0.0.5; proxy_pass http://%1$s; }
                    location /var/ { proxy_bind $arg_b; proxy_pass http://%1$s; }
                    location /off/ { proxy_bind off; proxy_pass http://%1$s; }
                    location /notaddress/ { proxy_bind "x$arg_b"; proxy_pass http://%1$s; }
                    location /foreign/ { proxy_bind 192.0.2.1; proxy_pass http://two; }
                }
                """.formatted(backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static List<String> requests() {
        return List.of("/server/", "/fixed/", "/var/?b=127.0.0.6", "/var/?b=", "/var/?b=127.0.0.8:0", "/off/",
                "/notaddress/", "/foreign/");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void bindsAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.get(target), "GET " + target);
    }

    @Test
    void theBackendSawTheBoundAddresses() throws Exception {
        assertThat(servers.get("/server/").zonesync().body()).isEqualTo("from 127.0.0.7");
        assertThat(servers.get("/fixed/").zonesync().body()).isEqualTo("from 127.0.0.5");
        assertThat(servers.get("/var/?b=127.0.0.6").zonesync().body()).isEqualTo("from 127.0.0.6");
        assertThat(servers.get("/off/").zonesync().body()).isEqualTo("from 127.0.0.1");
        assertThat(servers.get("/foreign/").zonesync().status()).isEqualTo(500);
    }

    @Test
    void badValuesAndFailedBindsAreLogged() throws Exception {
        try (LogCapture log = new LogCapture()) {
            servers.get("/notaddress/?b=1");
            servers.get("/foreign/");
            assertThat(log.lines()).anyMatch(l -> l.contains("invalid local address \"x1\", client: 127.0.0.1"));
            assertThat(log.lines()).anyMatch(l -> l.contains("bind(192.0.2.1) failed (99: Cannot assign requested"
                    + " address) while connecting to upstream"));
        }
    }
}
