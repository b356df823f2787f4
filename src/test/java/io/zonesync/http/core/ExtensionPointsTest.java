package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionPointsTest {
    @TempDir
    Path dir;
    private final TestFeature feature = new TestFeature();
    private HttpRuntime runtime;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        runtime = HttpRuntime.start(TestConfigs.compile("http { access_log off; client_max_body_size 100k;\n"
                + " test_var tv \"tv-$uri\";\n"
                + " server { listen 127.0.0.1:0;\n"
                + "  location /echo { echo_body; }\n"
                + "  location /stream { count_stream; }\n"
                + "  location /var { return 200 $tv; }\n"
                + "  location /denied { deny_with 429; return 200 \"return runs before access\"; }\n"
                + "  location /denied2 { deny_with 429; echo_body; }\n"
                + "  location /later { decide_later; deny_with 403; echo_body; } } }",
                dir, List.of(feature), feature));
        port = runtime.boundPort("127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        runtime.shutdownNow();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aggregatedBodyReachesTheHandler() throws Exception {
        assertThat(post("/echo", "hello").body()).isEqualTo("5:hello");
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").read();
            assertThat(r.body()).isEqualTo("5:abcde");
            assertThat(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().body())
                    .isEqualTo("0:");
        }
    }

    @Test
    void streamedBodyArrivesInPiecesWithBackpressure() throws Exception {
        String big = "x".repeat(90_000);
        HttpResponse<String> r = post("/stream", big);
        assertThat(r.body()).isEqualTo("bytes=90000 pieces>0=true");
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    }

    @Test
    void chunkedBodiesOverTheLimitGet413InEveryMode() throws Exception {
        String chunk = Integer.toHexString(60_000) + "\r\n" + "y".repeat(60_000) + "\r\n";
        for (String path : List.of("/echo", "/stream")) {
            try (RawClient c = new RawClient(port)) {
                RawClient.Response r = c.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunk + chunk + "0\r\n\r\n").read();
                assertThat(r.status()).as(path).isEqualTo(413);
            }
        }
    }

    @Test
    void variablesDefinedByAFeatureAreUsableInTheConfiguration() throws Exception {
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/var/x")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("tv-/var/x");
        assertThatThrownBy(() -> TestConfigs.compile("http { test_var host x; }", dir, List.of(feature), feature))
                .isInstanceOf(ConfigException.class).hasMessage("variable \"host\" is already defined in t.conf:1");
    }

    @Test
    void accessHandlersAnswerEarlyAfterReturn() throws Exception {
        assertThat(post("/denied", "").body()).isEqualTo("return runs before access");
        HttpResponse<String> r = post("/denied2", "body");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("429 Too Many Requests");
        assertThat(post("/denied2", "body", "X-Let-Me-In", "1").body()).isEqualTo("4:body");
    }

    @Test
    void accessDecisionsMayComeLater() throws Exception {
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/later"))
                        .header("X-Let-Me-In", "1").POST(HttpRequest.BodyPublishers.ofString("abc")).build(),
                HttpResponse.BodyHandlers.ofString());
        feature.pendingDecisions.poll(5, TimeUnit.SECONDS).complete(AccessDecision.proceed());
        assertThat(first.get(5, TimeUnit.SECONDS).body()).isEqualTo("3:abc");
        // deny_with is a preaccess handler: it runs before decide_later whatever the order of directives
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/later")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(feature.pendingDecisions).isEmpty();

        CompletableFuture<HttpResponse<String>> second = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/later")).header("X-Let-Me-In", "1")
                        .build(), HttpResponse.BodyHandlers.ofString());
        feature.pendingDecisions.poll(5, TimeUnit.SECONDS).complete(AccessDecision.respond(503));
        assertThat(second.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);

        CompletableFuture<HttpResponse<String>> third = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/later")).header("X-Let-Me-In", "1")
                        .build(), HttpResponse.BodyHandlers.ofString());
        feature.pendingDecisions.poll(5, TimeUnit.SECONDS).completeExceptionally(new IllegalStateException("boom"));
        assertThat(third.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    }
}
