package io.zonesync.http.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keepalive_time=}: the checks of a server go over one connection for that long, then a new
 * one; without it each check has its own connection and says {@code Connection: close}. The backend
 * counts the connections and the requests it gets.
 */
class HealthCheckKeepaliveIT {
    @TempDir
    Path dir;
    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closing = new AtomicInteger();

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private String backend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    connections.incrementAndGet();
                    Thread h = new Thread(() -> serve(c), "keepalive-backend");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "keepalive-backend-accept");
        t.setDaemon(true);
        t.start();
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** HTTP/1.1 keep-alive: each request answered "alive", until the client closes or asks to. */
    private void serve(Socket c) {
        try (c) {
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = c.getOutputStream();
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                boolean close = false;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    close |= line.equalsIgnoreCase("Connection: close");
                }
                if (line == null) {
                    return;
                }
                requests.incrementAndGet();
                if (close) {
                    closing.incrementAndGet();
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" + (close ? "Connection: close\r\n" : "")
                        + "\r\nalive").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the checker went away
        }
    }

    private InJvmNode start(String check) throws Exception {
        return InJvmNode.start(dir, """
                events { }
                http {
                    upstream b { zone b 64k; server %s; }
                    server { listen 127.0.0.1:0; location / { proxy_pass http://b; health_check %s; } }
                }
                """.formatted(backend(), check));
    }

    @Test
    void keepaliveTimeCarriesEveryCheckOverOneConnectionWhileItLasts() throws Exception {
        try (InJvmNode node = start("interval=50ms keepalive_time=1h")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 6);
            assertThat(connections.get()).isEqualTo(1);
            assertThat(closing.get()).isZero();
        }
    }

    @Test
    void afterKeepaliveTimeTheNextCheckOpensANewConnection() throws Exception {
        try (InJvmNode node = start("interval=50ms keepalive_time=300ms")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.get() >= 3);
            assertThat(requests.get()).as("several checks a connection").isGreaterThan(connections.get());
        }
    }

    @Test
    void withoutKeepaliveTimeEachCheckHasItsOwnConnection() throws Exception {
        try (InJvmNode node = start("interval=50ms")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 4);
            assertThat(connections.get()).isGreaterThanOrEqualTo(4);
            assertThat(closing.get()).isGreaterThanOrEqualTo(4);
        }
    }
}
