package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients are closed as nginx closes them: {@code client_header_timeout} while a request's
 * headers do not arrive, {@code client_body_timeout} between two reads of a body,
 * {@code send_timeout} while the client takes nothing of a response. Each is set to 1 s here; a
 * socket read that blocks for 10 s (the nginx default is 60 s) fails the test.
 */
class ClientTimeoutsTest {
    @TempDir
    Path dir;
    private InJvmNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Everything the node sends until it closes the connection. */
    private static String readToEnd(Socket s) throws Exception {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void headersThatDoNotArriveCloseTheConnectionAfterClientHeaderTimeout() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; client_header_timeout 1s;"
                + " server { listen 127.0.0.1:0; location / { return 200 ok; } } }");
        try (Socket silent = connect()) {
            assertThat(readToEnd(silent)).isEmpty();
        }
        try (Socket partial = connect()) {
            partial.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(partial)).isEmpty();
        }
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AfterClientBodyTimeout() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; keyval_zone zone=one:1m;"
                + " server { listen 127.0.0.1:0; location /api { client_body_timeout 1s; api write=on; } } }");
        try (Socket slow = connect()) {
            slow.getOutputStream().write(("POST /api/9/http/keyvals/one HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                    + "{\"k\":").getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(slow)).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void aClientThatTakesNothingIsClosedAfterSendTimeout() throws Exception {
        Path root = Files.createDirectories(dir.resolve("html"));
        Files.write(root.resolve("big"), new byte[32 * 1024 * 1024]);
        node = InJvmNode.start(dir, "events { } http { access_log off; server { listen 127.0.0.1:0;"
                + " location / { root " + root + "; send_timeout 1s; } } }");
        try (LogCapture log = new LogCapture(); Socket reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5000);
            OutputStream out = reader.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> log.contains("while sending response to client"));
            InputStream in = reader.getInputStream();
            reader.setSoTimeout(10_000);
            long read = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) >= 0;) {
                read += n;
            }
            assertThat(read).as("the response was cut").isLessThan(32L * 1024 * 1024);
        }
    }
}
