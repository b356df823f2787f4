package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.NodeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that runs out of file descriptors, as an operator meets it: bin/zonesync under a low
 * {@code ulimit -n}, flooded with idle connections. It must log, pause accepting, serve on, and
 * never exit on its own.
 */
class OutOfFilesIT {
    private static final String ACCEPT_FAILED = "failed (24: Too many open files) while accepting new connection on";

    @Test
    void aFloodPastTheOpenFileLimitPausesAcceptingWhileTheNodeServesOn(@TempDir Path dir) throws Exception {
        String config = """
                pid logs/zonesync.pid;
                error_log logs/error.log notice;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:0;
                        location / { return 200 "ok"; }
                    }
                }
                """;
        try (NodeProcess node = NodeProcess.start(dir, config, 0, 256);
                Socket before = new Socket("127.0.0.1", node.httpPort())) {
            int port = node.httpPort();
            assertThat(get(before)).as("a keep-alive connection from before the flood").contains("200 OK");

            long floodStart = System.nanoTime();
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    flood.add(s);
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> errorLog(dir).contains(ACCEPT_FAILED) || !node.isAlive());
                assertThat(node.isAlive()).as("still running:\n" + node.output()).isTrue();
                assertThat(get(before)).as("the connection it had is served on").contains("200 OK");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> node.http().answers());
            assertThat(node.http().get("/").body()).isEqualTo("ok");
            assertThat(node.isAlive()).isTrue();

            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodStart);
            String log = errorLog(dir);
            assertThat(log).contains("[crit]").doesNotContain("exited").doesNotContain("exceptionCaught");
            assertThat(log.lines().filter(l -> l.contains(ACCEPT_FAILED)).count())
                    .as("one line per 5 s at most:\n" + log).isBetween(1L, 1 + seconds / 5);
            assertThat(node.output()).contains("[warn] 1024 worker_connections exceed open file resource limit: 256");
        }
    }

    @Test
    void workerRlimitNofileSetsTheNodesOpenFileLimit(@TempDir Path dir) throws Exception {
        String config = """
                error_log logs/error.log notice;
                worker_rlimit_nofile 300;
                http {
                    server {
                        listen 127.0.0.1:0;
                        location / { return 200 "ok"; }
                    }
                }
                """;
        try (NodeProcess node = NodeProcess.start(dir, config, 0, 1024)) {
            assertThat(node.output()).contains("[warn] 512 worker_connections exceed open file resource limit: 300");
            assertThat(node.http().get("/").body()).isEqualTo("ok");
        }
    }

    private static String errorLog(Path dir) throws IOException {
        Path log = dir.resolve("logs/error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** One request on an open connection; the response head and body as text. */
    private static String get(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!got.toString().endsWith("\r\n\r\nok")) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return got.toString();
    }
}
