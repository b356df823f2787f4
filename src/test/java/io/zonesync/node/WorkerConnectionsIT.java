package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * worker_connections over a node's connections: a client past the limit is closed with nginx's
 * alert, and the reserve kept for zone_sync lets a peer's link come up while clients hold every
 * other connection.
 */
class WorkerConnectionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final Set<Socket> ended = new HashSet<>();

    private static String member(int workerConnections, String syncListen, List<String> peers) {
        StringBuilder servers = new StringBuilder();
        for (String p : peers) {
            servers.append(" zone_sync_server ").append(p).append(";");
        }
        return """
                events { worker_connections %d; }
                stream { server { listen %s; zone_sync; zone_sync_connect_retry_interval 100ms;%s } }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    server { listen 127.0.0.1:0; location /api { api write=on; } }
                }
                """.formatted(workerConnections, syncListen, servers);
    }

    @Test
    void clientsPastTheLimitAreClosedWhileASyncLinkStillComesUp() throws Exception {
        List<Socket> clients = new ArrayList<>();
        // b's zone_sync address is known before b starts: it listens on 127.0.0.2 at a port held on 127.0.0.1
        try (HeldPort held = new HeldPort(); LogCapture log = new LogCapture();
                InJvmNode a = InJvmNode.start(dir.resolve("a"), member(16, "127.0.0.1:0",
                        List.of("127.0.0.2:" + held.port())).replace("retry_interval 100ms", "retry_interval 1h"))) {
            String syncA = "127.0.0.1:" + a.syncPort();
            String syncB = "127.0.0.2:" + held.port();
            // a's one dial to b is over (refused) before the flood, so it holds none of a's connections
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("peer " + syncB + " is down"));
            // 16 connections: 2 kept for zone_sync, 2 listeners, so 12 clients; the rest are closed at once.
            // (b dials a)
            for (int i = 0; i < 20; i++) {
                clients.add(new Socket("127.0.0.1", a.httpPort()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> closedByTheNode(clients) >= 8);
            assertThat(closedByTheNode(clients)).as("clients closed at once").isEqualTo(8);
            assertThat(log.lines()).contains(
                    "alert 16 worker_connections are not enough (2 of them kept for zone_sync links)");

            try (InJvmNode b = InJvmNode.start(dir.resolve("b"), member(512, syncB, List.of(syncB, syncA)))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> online(b) == 1);
                assertThat(b.http().post("/api/9/http/keyvals/one", "{\"during\":\"flood\"}").statusCode())
                        .isEqualTo(201);
                assertThat(closedByTheNode(clients)).as("the clients it has are kept").isEqualTo(8);
                for (Socket s : clients) {
                    s.close();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> a.http().answers()
                        && a.http().get("/api/9/http/keyvals/one").body().contains("flood"));
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    void anUpstreamConnectionPastTheLimitIsAnsweredWith500AfterAReloadLowersIt() throws Exception {
        try (HeldPort closed = new HeldPort()) {
            refusedUpstreamGets500AfterAReloadLowersTheLimit(closed.port());
        }
    }

    private void refusedUpstreamGets500AfterAReloadLowersTheLimit(int closedPort) throws Exception {
        String config = """
                events { worker_connections %d; }
                http {
                    access_log off;
                    server { listen 127.0.0.1:0; location / { proxy_pass http://127.0.0.1:%d; } }
                }
                """;
        try (LogCapture log = new LogCapture();
                InJvmNode node = InJvmNode.start(dir.resolve("n"), config.formatted(3, closedPort))) {
            // the listener, the client and the upstream fit: the node dials (and finds nobody listening)
            assertThat(node.http().get("/").statusCode()).isEqualTo(502);
            assertThat(log.lines()).noneMatch(l -> l.contains("worker_connections"));

            // reloaded with 2, the listener and the client take both: none is left for the upstream
            node.reload(config.formatted(2, closedPort));
            assertThat(node.http().get("/").statusCode()).isEqualTo(500);
            assertThat(log.lines()).contains("alert 2 worker_connections are not enough");
        }
    }

    private static int online(InJvmNode n) throws Exception {
        return JSON.readTree(n.http().get("/api/9/stream/zone_sync").body()).path("status").path("nodes_online")
                .asInt();
    }

    /** How many of these client sockets the node has closed (their read ends). */
    private int closedByTheNode(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            if (ended.contains(s)) {
                continue;
            }
            s.setSoTimeout(20);
            try {
                if (s.getInputStream().read() < 0) {
                    ended.add(s);
                }
            } catch (SocketTimeoutException stillOpen) {
                // the node holds it
            }
        }
        return ended.size();
    }
}
