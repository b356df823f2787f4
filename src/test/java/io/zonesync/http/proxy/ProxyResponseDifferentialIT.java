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
 * What of an upstream's response reaches the client, against Debian's nginx in front of the same
 * backend (an nginx too): the default headers, {@code proxy_hide_header}, {@code proxy_pass_header},
 * and {@code proxy_intercept_errors} with {@code error_page}.
 */
class ProxyResponseDifferentialIT extends DifferentialSuite {
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / {
                        add_header X-Powered-By PHP; add_header X-Accel-Expires 60; add_header X-Pad pad;
                        add_header X-Keep keep;
                        return 200 "backend $uri";
                    }
                    location /status/404 { return 404 "backend 404"; }
                    location /status/500 { return 500 "backend 500"; }
                    location /echo/ { return 200 "$request_method [$http_x_test] [$http_host]"; }
                }
                """);
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location /default/ { proxy_pass http://%1$s; }
                    location /hide/ { proxy_hide_header X-Powered-By; proxy_pass http://%1$s; }
                    location /pass/ { proxy_pass_header X-Accel-Expires; proxy_pass_header X-Pad; proxy_pass http://%1$s; }
                    location /inherit/ { proxy_hide_header X-Keep; location /inherit/inner/ { proxy_pass http://%1$s; } }
                    location /intercept/ { proxy_intercept_errors on; error_page 404 /handled; proxy_pass http://%1$s/status/; }
                    location /through/ { error_page 404 /handled; proxy_pass http://%1$s/status/; }
                    location = /handled { return 200 "handled $uri"; }
                    location /method/ { proxy_method POST; proxy_pass http://%1$s/echo/; }
                    location /noheaders/ { proxy_pass_request_headers off; proxy_pass http://%1$s/echo/; }
                    location /headers/ { proxy_pass http://%1$s/echo/; }
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
        return List.of("/default/a", "/hide/a", "/pass/a", "/inherit/inner/a", "/intercept/404", "/intercept/500",
                "/through/404");
    }

    @Test
    void theHeadersComparedAreThereToCompare() throws Exception {
        assertThat(servers.get("/default/a").nginx().headers()).containsEntry("x-powered-by", "PHP")
                .doesNotContainKey("x-accel-expires");
        assertThat(servers.get("/pass/a").zonesync().headers()).containsEntry("x-accel-expires", "60")
                .containsEntry("x-pad", "pad");
        assertThat(servers.get("/intercept/404").zonesync().body()).isEqualTo("handled /handled");
        assertThat(servers.get("/through/404").zonesync().body()).isEqualTo("backend 404");
    }

    @Test
    void theRequestGoesUpstreamAsNginxSendsIt() throws Exception {
        for (String path : List.of("/method/x", "/noheaders/x", "/headers/x")) {
            assertSameAnswers(servers.both("GET " + path + " HTTP/1.1\r\nHost: diff.test\r\nX-Test: yes\r\n"
                    + "Connection: close\r\n\r\n"), path);
        }
        assertThat(servers.get("/method/x").zonesync().body()).startsWith("POST");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void passesHeadersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
