package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Http;
import io.zonesync.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three bin/zonesync processes whose zone_sync sections are identical (each lists all three nodes,
 * itself included), driven over their APIs. The scenarios run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "/api/9/http/keyvals/one";

    @TempDir
    static Path dir;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private HeldPort held;

    @BeforeAll
    void startCluster() throws Exception {
        // zone_sync on 127.0.0.2-4, one port held on 127.0.0.1 for all three: the lists are known
        // before the nodes start, and a restarted node comes back at its address
        held = new HeldPort();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            servers.append("        zone_sync_server 127.0.0." + (i + 2) + ":").append(held.port()).append(";\n");
        }
        for (int i = 0; i < 3; i++) {
            String config = """
                    error_log logs/error.log info;
                    events { }
                    stream {
                        server {
                            listen 127.0.0.%d:%d;
                            zone_sync;
                            zone_sync_connect_retry_interval 200ms;
                    %s    }
                    }
                    http {
                        keyval_zone zone=one:1m sync;
                        server {
                            listen 127.0.0.1:0;
                            location /api { api write=on; }
                        }
                    }
                    """.formatted(i + 2, held.port(), servers);
            nodes.add(NodeProcess.start(dir.resolve("node" + i), config, 0));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (NodeProcess n : nodes) {
                if (online(n.http()) != 2) {
                    return false;
                }
            }
            return true;
        });
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (NodeProcess n : nodes) {
            n.close();
        }
        held.close();
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    private static int online(Http http) throws Exception {
        return json(http.get("/api/9/stream/zone_sync").body()).path("status").path("nodes_online").asInt(-1);
    }

    private JsonNode zone(int i) throws Exception {
        return json(nodes.get(i).http().get(ZONE).body());
    }

    @Test
    @Order(1)
    void writesOnEachNodeReachEveryNodeAndTheStatusSaysSo() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(nodes.get(i).http().post(ZONE, "{\"from" + i + "\":\"" + i + "\"}").statusCode()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 3; i++) {
                if (zone(i).size() != 3) {
                    return false;
                }
            }
            return true;
        });
        JsonNode status = json(nodes.get(0).http().get("/api/9/stream/zone_sync").body());
        assertThat(status.path("status").path("nodes_online").asInt()).isEqualTo(2);
        assertThat(status.path("zones").path("one").path("records_total").asInt()).isEqualTo(3);
        await().until(() -> json(nodes.get(0).http().get("/api/9/stream/zone_sync").body())
                .path("zones").path("one").path("records_pending").asInt() == 0);
        JsonNode peers = json(nodes.get(0).http().get("/api/9/stream/zone_sync/nodes").body());
        assertThat(peers.size()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void aDeleteOnOneNodeDisappearsEverywhere() throws Exception {
        assertThat(nodes.get(1).http().patch(ZONE, "{\"from0\":null}").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 3; i++) {
                if (zone(i).has("from0")) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    @Order(3)
    void aKilledNodeGetsEverythingWrittenMeanwhileBySnapshotWhenItComesBack() throws Exception {
        NodeProcess c = nodes.get(2);
        c.kill9();
        await().atMost(Duration.ofSeconds(20)).until(() -> online(nodes.get(0).http()) == 1);
        for (int k = 0; k < 50; k++) {
            assertThat(nodes.get(k % 2).http().post(ZONE, "{\"while-down-" + k + "\":\"" + k + "\"}").statusCode())
                    .isEqualTo(201);
        }
        c.launch();
        await().atMost(Duration.ofSeconds(20)).until(() -> zone(2).has("while-down-49") && zone(2).size() == 52);
        assertThat(zone(2)).isEqualTo(zone(0));
    }

    @Test
    @Order(4)
    void quitRightAfterABurstOfWritesLosesNone() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> online(nodes.get(2).http()) == 2);
        Http c = nodes.get(2).http();
        for (int k = 0; k < 300; k++) {
            assertThat(c.post(ZONE, "{\"burst-" + k + "\":\"" + k + "\"}").statusCode()).isEqualTo(201);
        }
        nodes.get(2).signal("QUIT");
        assertThat(nodes.get(2).waitForExit()).isZero();
        for (int i = 0; i < 2; i++) {
            JsonNode z = zone(i);
            for (int k = 0; k < 300; k++) {
                assertThat(z.has("burst-" + k)).as("node %d has burst-%d", i, k).isTrue();
            }
        }
        assertThat(nodes.get(2).output()).doesNotContain("did not confirm the final flush");
    }
}
