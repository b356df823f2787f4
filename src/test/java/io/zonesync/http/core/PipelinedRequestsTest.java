package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelined requests are answered in order however many arrive at once: the connection stops
 * reading while it has requests waiting, as nginx does, rather than dropping the client when the
 * requests read ahead pile up. Answers that come later (the API's executor, an upstream) are the
 * case that piles up.
 */
class PipelinedRequestsTest {
    private static final int REQUESTS = 900; // below keepalive_requests (1000), which would close the connection

    @TempDir
    Path dir;
    private InJvmNode node;
    private InJvmNode backend;

    @AfterEach
    void stop() {
        for (InJvmNode n : new InJvmNode[] {node, backend}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private void assertAllAnswered(String path) throws Exception {
        String request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawClient c = new RawClient(node.httpPort())) {
            c.send(request.repeat(REQUESTS));
            for (int i = 1; i <= REQUESTS; i++) {
                RawClient.Response r = c.read();
                assertThat(r.status()).as("response %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void nineHundredPipelinedApiRequestsAreAllAnswered() throws Exception {
        node = InJvmNode.start(dir, "events { } http { access_log off; keyval_zone zone=one:1m;"
                + " server { listen 127.0.0.1:0; location /api { api; } } }");
        assertAllAnswered("/api/9/http/keyvals/one");
    }

    @Test
    void nineHundredPipelinedProxiedRequestsAreAllAnswered() throws Exception {
        backend = InJvmNode.start(dir.resolve("backend"), "events { } http { access_log off;"
                + " server { listen 127.0.0.1:0; location / { return 200 backend; } } }");
        node = InJvmNode.start(dir.resolve("proxy"), "events { } http { access_log off; server { listen 127.0.0.1:0;"
                + " location / { proxy_pass http://127.0.0.1:" + backend.httpPort() + "; } } }");
        assertAllAnswered("/");
    }
}
