package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_req through a real node: statuses, $limit_req_status, a delay that does not block others, the API. */
class LimitReqNodeIT {
    @TempDir
    Path dir;
    private Node node;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.stop();
        }
    }

    private int start() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        for (String f : List.of("strict", "slow", "free")) {
            Files.writeString(dir.resolve(f), "hello\n");
        }
        String conf = "http {\n"
                + " limit_req_zone $binary_remote_addr zone=strict:32k rate=1r/m;\n"
                + " limit_req_zone $binary_remote_addr zone=slow:32k rate=1r/s;\n"
                + " server {\n  listen 127.0.0.1:0;\n  root " + dir + ";\n"
                + "  add_header X-Limit-Req $limit_req_status always;\n"
                + "  location = /strict { limit_req zone=strict; limit_req_status 429; }\n"
                + "  location = /slow { limit_req zone=slow burst=2; }\n"
                + "  location = /free { }\n"
                + "  location /api { api write=on; }\n }\n}\n";
        ParsedConfig parsed = new ParsedConfig(dir.resolve("z.conf"), dir, ConfigParser.parseString(conf, "z.conf"),
                List.of());
        node = Node.start(parsed);
        return ((InetSocketAddress) node.httpAddresses().values().iterator().next()).getPort();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rejectsWithTheConfiguredStatusAndSetsTheVariable() throws Exception {
        int port = start();
        HttpResponse<String> first = get(port, "/strict");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Limit-Req")).hasValue("PASSED");
        HttpResponse<String> second = get(port, "/strict");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("X-Limit-Req")).hasValue("REJECTED");
        assertThat(get(port, "/free").headers().firstValue("X-Limit-Req")).isEmpty();
        HttpResponse<String> api = get(port, "/api/9/http/limit_reqs/strict");
        assertThat(api.body()).isEqualTo("{\"passed\":1,\"delayed\":0,\"rejected\":1,\"delayed_dry_run\":0,"
                + "\"rejected_dry_run\":0}");
    }

    @Test
    void aDelayedRequestWaitsWithoutHoldingUpOthers() throws Exception {
        int port = start();
        assertThat(get(port, "/slow").statusCode()).isEqualTo(200);
        long t0 = System.nanoTime();
        // level 1000 at 1r/s: 1000 ms, then 2000: 2000 ms (less what leaked since the first)
        CompletableFuture<HttpResponse<String>> a = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> free = get(port, "/free");
        long freeMs = (System.nanoTime() - t0) / 1_000_000;
        HttpResponse<String> ra = a.get();
        HttpResponse<String> rb = b.get();
        long slowMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(free.statusCode()).isEqualTo(200);
        assertThat(freeMs).as("answered while the others wait").isLessThan(900);
        assertThat(List.of(ra.statusCode(), rb.statusCode())).containsOnly(200);
        assertThat(List.of(ra.headers().firstValue("X-Limit-Req").orElse(""),
                rb.headers().firstValue("X-Limit-Req").orElse(""))).containsOnly("DELAYED");
        assertThat(slowMs).as("the second waits about 2000 ms less what leaked since the first").isGreaterThan(1500);
        assertThat(get(port, "/api/9/http/limit_reqs/").body()).contains("\"slow\":{\"passed\":1,\"delayed\":2,");
    }
}
