package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code large_client_header_buffers number size}, answered as nginx 1.22 answers (checked against
 * Debian's nginx): a request line longer than one buffer is 414; a header line longer than one
 * buffer, or header lines that fill more than all of them, is 400 with the page of nginx's 494,
 * "Request Header Or Cookie Too Large".
 */
class HeaderBuffersTest {
    @TempDir
    Path dir;
    private InJvmNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private RawClient.Response ask(String request) throws Exception {
        try (RawClient c = new RawClient(node.httpPort())) {
            return c.send(request).read();
        }
    }

    private static String get(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n";
    }

    @Test
    void theDefaultsAreFourBuffersOfEightKilobytes() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; server { listen 127.0.0.1:0;"
                + " location / { return 200 ok; } } }");
        assertThat(ask(get("/" + "a".repeat(8100), "")).status()).isEqualTo(200);
        assertThat(ask(get("/" + "a".repeat(9000), "")).status()).isEqualTo(414);
        RawClient.Response longLine = ask(get("/", "X-A: " + "a".repeat(9000) + "\r\n"));
        assertThat(longLine.status()).isEqualTo(400);
        assertThat(longLine.body()).contains("<title>400 Request Header Or Cookie Too Large</title>");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            many.append("X-").append(i).append(": ").append("a".repeat(7000)).append("\r\n");
        }
        assertThat(ask(get("/", many.toString())).status()).isEqualTo(400);
        assertThat(ask(get("/", "X-A: " + "a".repeat(7000) + "\r\n")).status()).isEqualTo(200);
    }

    @Test
    void aServerSetsItsOwn() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; server { listen 127.0.0.1:0;"
                + " large_client_header_buffers 2 1k; location / { return 200 ok; } } }");
        assertThat(ask(get("/" + "a".repeat(1100), "")).status()).isEqualTo(414);
        assertThat(ask(get("/", "X-A: " + "a".repeat(1100) + "\r\n")).status()).isEqualTo(400);
        String three = ("X-A: " + "a".repeat(800) + "\r\n").repeat(3);
        assertThat(ask(get("/", three)).status()).isEqualTo(400);
        assertThat(ask(get("/", "X-A: " + "a".repeat(800) + "\r\n")).status()).isEqualTo(200);
    }

    @Test
    void moreThanZonesyncReadsIsAConfigurationError() {
        assertThatThrownBy(() -> InJvmNode.start(dir, "events { } http {\nlarge_client_header_buffers 4 1m;\n"
                + "server { listen 127.0.0.1:0; } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zonesync.conf:2");
    }
}
