package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A header line folded onto the next (obsolete line folding: the next line starts with a space or
 * a tab) is answered 400, as nginx 1.22 answers it; bodies are not read for it, whatever their
 * lines start with, and requests before it on the connection are answered as usual.
 */
class HeaderFoldingTest {
    @TempDir
    Path dir;
    private InJvmNode node;

    @BeforeEach
    void start() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; keyval_zone zone=one:1m;"
                + " server { listen 127.0.0.1:0; location / { return 200 ok; } location /api { api write=on; } } }");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    @Test
    void aFoldedHeaderIsABadRequest() throws Exception {
        for (String fold : new String[] {" two", "\ttwo"}) {
            try (RawClient c = new RawClient(node.httpPort())) {
                RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n" + fold + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(400);
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void bodiesAreNotReadAsHeadersWhateverTheirLinesStartWith() throws Exception {
        String json = "{\"a\":\r\n \"1\",\r\n\t\"b\": \"2\"}";
        try (RawClient c = new RawClient(node.httpPort())) {
            c.send("POST /api/9/http/keyvals/one HTTP/1.1\r\nHost: x\r\nContent-Length: " + json.length() + "\r\n\r\n" + json
                    + "POST /api/9/http/keyvals/one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("{\"c\":\r\n \"") + chunk("3\"}\r\n \t") + "0\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n folded\r\n\r\n");
            assertThat(c.read().status()).as("the body of Content-Length").isEqualTo(201);
            assertThat(c.read().status()).as("the chunked body").isEqualTo(201);
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(node.http().get("/api/9/http/keyvals/one").body()).contains("\"a\":\"1\"", "\"c\":\"3\"");
    }
}
