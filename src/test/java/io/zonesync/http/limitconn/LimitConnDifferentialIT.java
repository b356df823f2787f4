package io.zonesync.http.limitconn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.http.core.RawClient;
import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * limit_conn against Debian's nginx, both in front of one backend whose {@code /slow} answer
 * trickles at one byte a second, so that a request to it stays in progress while the test asks
 * again: over the limit is 503 (or {@code limit_conn_status}) with {@code $limit_conn_status}
 * REJECTED, a dry run lets it through as REJECTED_DRY_RUN, and once the held client goes its
 * place is free again.
 */
class LimitConnDifferentialIT extends DifferentialSuite {
    private static final Set<String> LC = Set.of("x-lc");
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location /slow { limit_rate 1; return 200 "slow answer"; }
                    location /fast { return 200 "fast"; }
                }
                """);
        return Differential.start(dir, """
                access_log off;
                limit_conn_zone $binary_remote_addr zone=perip:1m;
                limit_conn_zone $http_x_key zone=bykey:1m;
                server {
                    listen LISTEN;
                    add_header X-LC "[$limit_conn_status]" always;
                    location /slow { limit_conn perip 1; proxy_pass http://%1$s; }
                    location /fast { limit_conn perip 1; proxy_pass http://%1$s; }
                    location /custom { limit_conn perip 1; limit_conn_status 429; limit_conn_log_level warn;
                                       proxy_pass http://%1$s/fast; }
                    location /dry { limit_conn perip 1; limit_conn_dry_run on; proxy_pass http://%1$s/fast; }
                    location /keyed { limit_conn bykey 1; proxy_pass http://%1$s/fast; }
                    location /free { proxy_pass http://%1$s/fast; }
                }
                """.formatted(backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: lc.test\r\nConnection: close\r\n\r\n";
    }

    @Test
    void aRequestInProgressHoldsItsPlaceUntilItsClientGoes() throws Exception {
        List<RawClient> held = servers.sendAndHold(get("/slow"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Differential.Pair p = servers.both(get("/fast"), LC);
                return p.zonesync().status() == 503 && p.nginx().status() == 503;
            });
            for (String target : List.of("/fast", "/custom", "/dry", "/keyed", "/free")) {
                assertSameAnswers(servers.both(get(target), LC), target);
            }
            assertThat(servers.both(get("/custom"), LC).zonesync().status()).isEqualTo(429);
            assertThat(servers.both(get("/dry"), LC).zonesync().headers()).containsEntry("x-lc", "[REJECTED_DRY_RUN]");
        } finally {
            for (RawClient c : held) {
                close(c);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Differential.Pair p = servers.both(get("/fast"), LC);
            return p.zonesync().status() == 200 && p.nginx().status() == 200;
        });
        assertSameAnswers(servers.both(get("/fast"), LC), "/fast after the slow client went");
        assertThat(servers.both(get("/fast"), LC).zonesync().headers()).containsEntry("x-lc", "[PASSED]");
    }

    @Test
    void anEmptyKeyIsNotCounted() throws Exception {
        assertSameAnswers(servers.both(get("/keyed"), LC), "/keyed without X-Key");
        assertThat(servers.both(get("/keyed"), LC).zonesync().headers()).containsEntry("x-lc", "[]");
    }

    private static void close(RawClient c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
