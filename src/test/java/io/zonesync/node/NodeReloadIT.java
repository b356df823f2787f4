package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.config.ConfigException;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HUP as nodes see it: zones keep their contents, a bad configuration changes nothing, peers come and go. */
class NodeReloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<InJvmNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(InJvmNode::close);
    }

    private static String http(String zones, int port) {
        return """
                events { }
                http {
                    access_log off;
                    %s
                    server { listen 127.0.0.1:%d; location /api { api write=on; } }
                }
                """.formatted(zones, port);
    }

    @Test
    void aReloadKeepsZoneContentsAddsAndRemovesZonesAndABadOneChangesNothing() throws Exception {
        int port = 0;
        InJvmNode node = InJvmNode.start(dir, http("keyval_zone zone=one:32k;", port));
        nodes.add(node);
        Http api = node.http();
        assertThat(api.post("/api/9/http/keyvals/one", "{\"kept\":\"yes\"}").statusCode()).isEqualTo(201);

        node.reload(http("keyval_zone zone=one:32k; keyval_zone zone=two:32k;", port));
        assertThat(api.get("/api/9/http/keyvals/one").body()).isEqualTo("{\"kept\":\"yes\"}");
        assertThat(api.get("/api/9/http/keyvals/two").statusCode()).isEqualTo(200);

        assertThatThrownBy(() -> node.reload(http("keyval_zone zone=one:32k; bogus_directive;", port)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown directive \"bogus_directive\"")
                .hasMessageContaining("zonesync.conf:4");
        assertThat(api.get("/api/9/http/keyvals/two").statusCode()).as("old configuration still serves").isEqualTo(200);

        node.reload(http("keyval_zone zone=one:32k type=ip;", port));
        assertThat(api.get("/api/9/http/keyvals/one").body()).as("a zone whose type changed starts empty")
                .isEqualTo("{}");
        assertThat(api.get("/api/9/http/keyvals/two").body()).contains("KeyvalNotFound");
    }

    private static String member(int syncPort, List<Integer> peers) {
        StringBuilder servers = new StringBuilder();
        for (int p : peers) {
            servers.append(" zone_sync_server 127.0.0.1:").append(p).append(";");
        }
        return """
                events { }
                stream { server { listen 127.0.0.1:%d; zone_sync; zone_sync_connect_retry_interval 100ms;
                        zone_sync_digest_interval off;%s } }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    server { listen 127.0.0.1:0; location /api { api write=on; } }
                }
                """.formatted(syncPort, servers);
    }

    private static int online(InJvmNode n) throws Exception {
        return JSON.readTree(n.http().get("/api/9/stream/zone_sync").body()).path("status").path("nodes_online").asInt();
    }

    @Test
    void aReloadDialsNewNodesAndDropsRemovedOnesForGood() throws Exception {
        InJvmNode na = InJvmNode.start(dir.resolve("a"), member(0, List.of()));
        InJvmNode nb = InJvmNode.start(dir.resolve("b"), member(0, List.of()));
        InJvmNode nc = InJvmNode.start(dir.resolve("c"), member(0, List.of()));
        nodes.addAll(List.of(na, nb, nc));
        int a = na.syncPort();
        int b = nb.syncPort();
        int c = nc.syncPort();
        na.reload(member(0, List.of(a, b)));
        nb.reload(member(0, List.of(b, a)));
        // c lists a, a does not list c: a refuses c's link, and c stops dialling a
        nc.reload(member(0, List.of(c, a)));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(na) == 1 && online(nb) == 1);
        assertThat(online(nc)).isZero();

        na.reload(member(0, List.of(a, b, c)));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(na) == 2 && online(nc) == 1);
        nc.http().post("/api/9/http/keyvals/one", "{\"from-c\":\"1\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> na.http().get("/api/9/http/keyvals/one").body()
                .contains("from-c"));

        na.reload(member(0, List.of(a, c)));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(na) == 1 && online(nb) == 0);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> online(nb) == 0);
        assertThat(online(nc)).isEqualTo(1);
        // the link to c stayed up through a's reload, reading a's log of changes as before
        na.http().post("/api/9/http/keyvals/one", "{\"from-a-after-reload\":\"1\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> nc.http().get("/api/9/http/keyvals/one").body()
                .contains("from-a-after-reload"));

        // b restarts at the address it had (the port the kernel gave it), still listing a, with a
        // new node id: a refuses it by its address all the same
        nb.close();
        nodes.remove(nb);
        InJvmNode reborn = InJvmNode.start(dir.resolve("b"), member(b, List.of(b, a)));
        nodes.add(reborn);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> online(reborn) == 0 && online(na) == 1);
        reborn.http().post("/api/9/http/keyvals/one", "{\"from-removed\":\"1\"}");
        nc.http().post("/api/9/http/keyvals/one", "{\"from-c-later\":\"1\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> na.http().get("/api/9/http/keyvals/one").body()
                .contains("from-c-later"));
        assertThat(na.http().get("/api/9/http/keyvals/one").body()).doesNotContain("from-removed");

        na.reload(member(0, List.of(a, b, c))); // listed again: welcome back
        await().atMost(Duration.ofSeconds(20)).until(() -> online(na) == 2 && online(reborn) == 1);
    }
}
