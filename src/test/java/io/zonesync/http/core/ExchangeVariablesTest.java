package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variables only the exchange can tell, as an access log sees them once the request ended. */
class ExchangeVariablesTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    @Test
    void completionAndPipeInTheAccessLog() throws Exception {
        Path log = dir.resolve("access.log");
        server = TestServer.start(dir, """
                http {
                    log_format v '$request_uri $pipe [$request_completion]';
                    server {
                        listen 127.0.0.1:0;
                        access_log %s v;
                        location / { return 200 "ok"; }
                        location /drop { return 444; }
                    }
                }
                """.formatted(log));
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            c.read();
            c.read();
            c.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
        await().until(() -> Files.exists(log) && Files.readAllLines(log).size() == 3);
        assertThat(Files.readAllLines(log)).containsExactly("/a . [OK]", "/b p [OK]", "/drop . []");
    }

    @Test
    void requestIdIs32LowercaseHexDigitsOncePerRequest() throws Exception {
        server = TestServer.start(dir, """
                http {
                    server {
                        listen 127.0.0.1:0;
                        access_log off;
                        location / { return 200 "$request_id $request_id"; }
                    }
                }
                """);
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            String[] first = c.read().body().split(" ");
            String[] second = c.read().body().split(" ");
            assertThat(first[0]).matches("[0-9a-f]{32}").isEqualTo(first[1]);
            assertThat(second[0]).matches("[0-9a-f]{32}").isEqualTo(second[1]).isNotEqualTo(first[0]);
        }
    }
}

