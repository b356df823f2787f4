package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unix domain socket upstreams against Debian's nginx, both in front of an nginx listening on a
 * socket: {@code proxy_pass http://unix:PATH:/uri} with and without a URI part, and
 * {@code server unix:PATH} in an upstream block, a socket named by a variable (with keepalive), checking the Host sent
 * (localhost), the URI and {@code $upstream_addr}.
 */
class ProxyUnixSocketDifferentialIT extends DifferentialSuite {
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        String sock = dir.resolve("backend.sock").toString();
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    listen unix:%s;
                    location / { return 200 "uri=$request_uri host=$host n=$connection_requests"; }
                }
                """.formatted(sock));
        return Differential.start(dir, """
                access_log off;
                upstream sock { server unix:%1$s; keepalive 2; }
                server {
                    listen LISTEN;
                    add_header X-Upstream $upstream_addr;
                    location /plain/ { proxy_pass http://unix:%1$s; }
                    location /uri/ { proxy_pass http://unix:%1$s:/base/; }
                    location /var/ { set $s unix:%1$s; proxy_pass http://$s:/v$uri; }
                    location /group/ { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://sock; }
                }
                """.formatted(sock));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static List<String> requests() {
        return List.of("/plain/a?q=1", "/uri/a/b?q=1", "/group/a", "/var/a?q=1");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void proxiesToTheSocketAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.get(target), "GET " + target);
    }

    @Test
    void theAnswersCameThroughTheSocket() throws Exception {
        Differential.Answer a = servers.get("/uri/a/b?q=1").zonesync();
        assertThat(a.body()).isEqualTo("uri=/base/a/b?q=1 host=localhost n=1");
        assertThat(a.headers().get("x-upstream")).startsWith("unix:").endsWith("backend.sock");
        servers.get("/group/x");
        assertThat(servers.get("/group/y").zonesync().body()).endsWith(" n=2");
    }
}
