package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_cache_path ... sync} on three whole nodes in front of one real backend: a purge on
 * one node (a key, or a wildcard) makes the entry a MISS on the others, while what a node cached
 * after the purge stays, also on a node that joins later and receives the purge in its snapshot.
 */
class CachePurgeSyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Nginx backend;
    private TestCluster<InJvmNode> cluster;

    @BeforeEach
    void backend() throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server { listen LISTEN; location / { return 200 "fetched $request_id"; } }
                """);
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
        backend.close();
    }

    private String config(int index, List<Integer> peers) {
        StringBuilder servers = new StringBuilder();
        for (int p : peers) {
            servers.append("        zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return """
                events { }
                error_log stderr error;
                http {
                    access_log off;
                    map $request_method $purge { PURGE 1; default 0; }
                    proxy_cache_path %s keys_zone=c:1m sync;
                    server {
                        listen 127.0.0.1:0;
                        add_header X-Cache-Status $upstream_cache_status;
                        location / {
                            proxy_cache c; proxy_cache_key $uri; proxy_cache_valid 1h; proxy_cache_purge $purge;
                            proxy_pass http://%s;
                        }
                        location /api { api; }
                    }
                }
                stream {
                    server {
                        listen 127.0.0.1:0;
                        zone_sync;
                        zone_sync_connect_retry_interval 100ms;
                %s    }
                }
                """.formatted(dir.resolve("cache" + index), backend.address(), servers);
    }

    private static String status(Http http, String path) {
        HttpResponse<String> r = http.get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Cache-Status").orElse(null);
    }

    /** Requests {@code path} twice: the second is a HIT. */
    private static void cache(Http http, String path) {
        status(http, path);
        assertThat(status(http, path)).isEqualTo("HIT");
    }

    private static JsonNode syncStatus(Http http) throws Exception {
        return JSON.readTree(http.get("/api/9/stream/zone_sync/").body());
    }

    private void awaitOnline(List<Integer> nodes, int peers) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i : nodes) {
                if (syncStatus(cluster.node(i).http()).path("status").path("nodes_online").asInt() != peers) {
                    return false;
                }
            }
            return true;
        });
    }

    private Http http(int i) {
        return cluster.node(i).http();
    }

    @Test
    void aPurgeOnOneNodeIsAMissOnTheOthersAndWhatIsCachedAfterStays() throws Exception {
        cluster = TestCluster.start(3, this::config, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        awaitOnline(List.of(0, 1, 2), 2);
        for (int i = 0; i < 3; i++) {
            for (String path : List.of("/a", "/w/1", "/w/2", "/k")) {
                cache(http(i), path);
            }
        }

        assertThat(http(0).send("PURGE", "/a", null).statusCode()).isEqualTo(204);
        assertThat(status(http(0), "/a")).isEqualTo("MISS");
        for (int i : List.of(1, 2)) {
            Http h = http(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> "MISS".equals(status(h, "/a")));
            assertThat(status(h, "/a")).isEqualTo("HIT"); // cached again after the purge
        }

        assertThat(http(1).send("PURGE", "/w/*", null).statusCode()).isEqualTo(204);
        for (int i : List.of(0, 2)) {
            Http h = http(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> "MISS".equals(status(h, "/w/2")));
            await().atMost(Duration.ofSeconds(10)).until(() -> "MISS".equals(status(h, "/w/1")));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(status(http(i), "/k")).isEqualTo("HIT");
            assertThat(status(http(i), "/a")).isEqualTo("HIT");
            assertThat(syncStatus(http(i)).path("zones").path("c").path("records_total").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aJoiningNodePurgesWhatItStoredBeforeThePurgeAndKeepsWhatItStoredAfter() throws Exception {
        cluster = TestCluster.open(3, this::config, (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf));
        List<Integer> ports = cluster.syncPorts();
        cluster.reload(1, ports.subList(0, 2));
        cluster.reload(0, ports.subList(0, 2));
        awaitOnline(List.of(0, 1), 1);

        for (int i = 0; i < 3; i++) {
            cache(http(i), "/j/old");
        }
        assertThat(http(0).send("PURGE", "/j/*", null).statusCode()).isEqualTo(204);
        long purged = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> "MISS".equals(status(http(1), "/j/old")));
        // node 2, not linked yet, caches a response after the purge (in a later millisecond)
        await().until(() -> System.currentTimeMillis() > purged + 1);
        cache(http(2), "/j/new");

        cluster.link();
        awaitOnline(List.of(0, 1, 2), 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> "MISS".equals(status(http(2), "/j/old")));
        assertThat(status(http(2), "/j/new")).isEqualTo("HIT");
        assertThat(syncStatus(http(2)).path("zones").path("c").path("records_total").asInt()).isEqualTo(1);
    }
}
