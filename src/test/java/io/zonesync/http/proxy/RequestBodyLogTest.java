package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.http.core.RawClient;
import io.zonesync.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code $request_body} in the log phase of a streamed proxy: the body goes upstream as it arrives
 * and a copy is kept for the variable while it fits {@code client_body_buffer_size}; a location
 * that answers itself reads no body, so the variable is empty there.
 */
class RequestBodyLogTest {
    @TempDir
    Path dir;

    @Test
    void theLogSeesTheBodyThatFits() throws Exception {
        Path log = dir.resolve("body.log");
        try (TestBackend backend = new TestBackend("b")) {
            Node node = ProxyNodes.start(dir, ProxyNodes.http("""
                    log_format b '$request_uri [$request_body]';
                    server {
                        listen 127.0.0.1:0;
                        access_log %s b;
                        client_body_buffer_size 8;
                        location /p/ { proxy_pass http://%s; }
                        location /r/ { return 200 "ok"; }
                    }
                    """.formatted(log, backend.address())));
            try {
                for (String[] r : new String[][] {{"/p/small", "a=1&b=2"}, {"/p/large", "0123456789"},
                        {"/r/small", "a=1"}}) {
                    try (RawClient c = new RawClient(ProxyNodes.port(node))) {
                        c.send("POST " + r[0] + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + r[1].length()
                                + "\r\nConnection: close\r\n\r\n" + r[1]);
                        assertThat(c.read().status()).isEqualTo(200);
                    }
                }
                await().until(() -> Files.exists(log) && Files.readAllLines(log).size() == 3);
                assertThat(Files.readAllLines(log)).containsExactly("/p/small [a=1&b=2]", "/p/large [-]", "/r/small [-]");
                assertThat(backend.seen).extracting(req -> req.headers().get("Content-Length"))
                        .as("both bodies went upstream as they came").containsExactly("7", "10");
            } finally {
                node.stop();
            }
        }
    }
}
