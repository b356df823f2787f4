package io.zonesync.http.limitrate;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code $limit_rate} against Debian's nginx: set (a size read back as bytes, an invalid one as
 * 0), read where no rate applies yet (0, also in add_header and a {@code return} text), and set by
 * an upstream's X-Accel-Limit-Rate (a plain number only) unless {@code proxy_ignore_headers} says so.
 */
class LimitRateDifferentialIT extends DifferentialSuite {

    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location /numeric { add_header X-Accel-Limit-Rate 2048; return 200 "paced\\n"; }
                    location /sized { add_header X-Accel-Limit-Rate 4k; return 200 "paced\\n"; }
                }
                """);
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location /set { set $limit_rate 50k; return 200 "[$limit_rate]"; }
                    location /none { return 200 "[$limit_rate]"; }
                    location /conf { limit_rate 1m; add_header X-Before $limit_rate always; return 200 "[$limit_rate]"; }
                    location /bad { set $limit_rate abc; return 200 "[$limit_rate]"; }
                    location /var { limit_rate $arg_r; limit_rate_after 1k; return 200 "[$limit_rate]"; }
                    location /if { if ($arg_slow) { set $limit_rate 4k; } return 200 "[$limit_rate]"; }
                    location /up/ { add_header X-Before $limit_rate always; proxy_pass http://%1$s/; }
                    location /ignored/ { proxy_ignore_headers X-Accel-Limit-Rate; add_header X-Before $limit_rate always;
                                         proxy_pass http://%1$s/; }
                }
                """.formatted(backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static List<String> targets() {
        return List.of("/set", "/none", "/conf", "/bad", "/var?r=2k", "/if?slow=1", "/if", "/up/numeric", "/up/sized",
                "/ignored/numeric");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void readsAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.both("GET " + target + " HTTP/1.1\r\nHost: rate.test\r\nConnection: close\r\n\r\n",
                Set.of("x-before")), target);
    }
}
