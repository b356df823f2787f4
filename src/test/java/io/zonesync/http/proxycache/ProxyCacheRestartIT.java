package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Nginx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache entries survive a restart (the loader rebuilds the keys zone from the directory, and a key
 * it has not reached yet is looked for on disk), and a
 * large body is cached whole and served from its file.
 */
class ProxyCacheRestartIT {

    @Test
    void entriesSurviveARestart(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("files/big"));
        Files.writeString(dir.resolve("files/big/b.txt"), "0123456789abcdef".repeat(200_000));
        try (Nginx backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "fetched $request_id"; }
                    location /big/ { root %s; }
                }
                """.formatted(dir.resolve("files")))) {
            String config = """
                    events { }
                    http {
                        access_log off;
                        proxy_cache_path %s levels=1:2 keys_zone=c:1m;
                        server {
                            listen 127.0.0.1:0;
                            add_header X-Cache-Status $upstream_cache_status;
                            location / { proxy_cache c; proxy_cache_valid 1h; proxy_pass http://%s; }
                        }
                    }
                    """.formatted(dir.resolve("cache"), backend.address());
            String first;
            String big;
            try (InJvmNode node = InJvmNode.start(dir.resolve("node1"), config)) {
                HttpResponse<String> miss = node.http().get("/a");
                assertThat(miss.headers().firstValue("X-Cache-Status")).hasValue("MISS");
                first = miss.body();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    HttpResponse<String> hit = node.http().get("/a");
                    assertThat(hit.headers().firstValue("X-Cache-Status")).hasValue("HIT");
                    assertThat(hit.body()).isEqualTo(first);
                });
                big = node.http().get("/big/b.txt").body();
                assertThat(big).hasSize(3_200_000);
                HttpResponse<String> bigHit = node.http().get("/big/b.txt");
                assertThat(bigHit.headers().firstValue("X-Cache-Status")).hasValue("HIT");
                assertThat(bigHit.body()).isEqualTo(big);
            }
            try (InJvmNode node = InJvmNode.start(dir.resolve("node2"), config)) {
                // at once: a key the loader has not reached yet is looked for on disk
                HttpResponse<String> hit = node.http().get("/a");
                assertThat(hit.headers().firstValue("X-Cache-Status")).hasValue("HIT");
                assertThat(hit.body()).isEqualTo(first);
                assertThat(node.http().get("/big/b.txt").body()).isEqualTo(big);
            }
            try (var files = Files.list(dir.resolve("cache/tmp"))) {
                assertThat(files).isEmpty();
            }
        }
    }
}
