package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestCluster;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API through a real node's HTTP stack, every answer checked against the API's OpenAPI
 * document, including {@code /stream/zone_sync} of a two-node cluster and the document itself.
 */
class NodeApiIT {
    @TempDir
    Path dir;
    private final List<InJvmNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(InJvmNode::close);
    }

    private static String config(int syncPort, List<Integer> peers) {
        StringBuilder servers = new StringBuilder();
        for (int p : peers) {
            servers.append("zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return """
                events { }
                stream {
                    keyval_zone zone=streamzone:32k;
                    server { listen 127.0.0.1:%d; zone_sync; zone_sync_connect_retry_interval 100ms; %s }
                }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    keyval_zone zone=nets:32k type=ip;
                    keyval_zone zone=bulk:1m;
                    keyval $remote_addr $net zone=nets;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                        location /ro/api { api; }
                        location /bulk/api { client_body_buffer_size 256k; api write=on; }
                        location /net { return 200 "net=$net"; }
                    }
                }
                """.formatted(syncPort, servers);
    }

    @Test
    void zoneSyncStatusOfATwoNodeClusterMatchesTheSpecAndCountsWhatWasSynced() throws Exception {
        nodes.addAll(TestCluster.start(2, (i, peers) -> config(0, peers),
                (i, conf) -> InJvmNode.start(dir.resolve("n" + i), conf)).nodes());
        Http a = nodes.get(0).http();
        Http b = nodes.get(1).http();
        await().atMost(Duration.ofSeconds(20)).until(() -> ApiSpec.send(a, "GET", "/api/9/stream/zone_sync", null).body()
                .contains("\"nodes_online\":1"));
        assertThat(ApiSpec.send(a, "POST", "/api/9/http/keyvals/one", "{\"k\":\"v\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.get("/api/9/http/keyvals/one").body().equals("{\"k\":\"v\"}"));
        await().until(() -> ApiSpec.send(a, "GET", "/api/9/stream/zone_sync", null).body()
                .contains("\"one\":{\"records_pending\":0,\"records_total\":1}"));
        String status = ApiSpec.send(b, "GET", "/api/9/stream/zone_sync/", null).body();
        assertThat(status).contains("\"nodes_online\":1").contains("\"records_total\":1");
        assertThat(status).doesNotContain("nets").as("zones without sync are not listed");
        assertThat(ApiSpec.send(a, "GET", "/api/9/stream/", null).body()).contains("zone_sync");
        assertThat(ApiSpec.send(a, "GET", "/api/9/stream/zone_sync/nodes", null).body()).contains("\"state\":\"live\"");
        String zones = ApiSpec.send(b, "GET", "/api/9/stream/zone_sync/zones", null).body();
        assertThat(zones).startsWith("{\"one\":{\"type\":\"keyval\",\"records_total\":1,\"records_pending\":0,"
                + "\"size\":32768,\"used\":").endsWith(",\"sessions\":null}}");
        long used = new ObjectMapper().readTree(zones).path("one").path("used").asLong();
        assertThat(used).as("the pair k=v as the zone counts it").isGreaterThan(2).isLessThan(32768);
    }

    @Test
    void everyApiLocationServesTheOpenApiDocumentAsTheRepositoryHoldsIt() throws Exception {
        nodes.add(InJvmNode.start(dir, config(0, List.of())));
        Http http = nodes.get(0).http();
        byte[] file = Files.readAllBytes(ApiSpec.FILE);
        for (String location : List.of("/api", "/ro/api")) {
            HttpResponse<String> r = ApiSpec.send(http, "GET", location + "/openapi.yaml", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/yaml");
            assertThat(r.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(file);
        }
    }

    @Test
    void withoutZoneSyncTheEndpointIsPathNotFoundAsNginxPlusAnswers() throws Exception {
        nodes.add(InJvmNode.start(dir, """
                events { }
                http { server { listen 127.0.0.1:0; location /api { api; } } }
                """));
        HttpResponse<String> r = ApiSpec.send(nodes.get(0).http(), "GET", "/api/9/stream/zone_sync", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"code\":\"PathNotFound\"");
    }

    @Test
    void throughHttpWritesNeedWriteOnErrorsUseTheEnvelopeAndIpZonesMatchTheClient() throws Exception {
        nodes.add(InJvmNode.start(dir, config(0, List.of())));
        Http http = nodes.get(0).http();
        HttpResponse<String> ro = ApiSpec.send(http, "POST", "/ro/api/9/http/keyvals/one", "{\"a\":\"b\"}");
        assertThat(ro.statusCode()).isEqualTo(405);
        assertThat(ro.body()).contains("\"code\":\"MethodDisabled\"");
        assertThat(ApiSpec.send(http, "GET", "/api/9/http/keyvals/nope", null).body()).contains("KeyvalNotFound");
        assertThat(ApiSpec.send(http, "POST", "/api/9/http/keyvals/one", "{not json").statusCode()).isGreaterThanOrEqualTo(400);
        String big = "{\"k\":\"" + "x".repeat(40_000) + "\"}";
        HttpResponse<String> tooBig = http.post("/api/9/http/keyvals/one", big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(http.get("/api/9/http/keyvals/one").body()).isEqualTo("{}");
        StringBuilder load = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            load.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":\"").append("v".repeat(40)).append('"');
        }
        String bulk = load.append('}').toString(); // about 50 KB, past the default 16k buffer
        assertThat(http.post("/api/9/http/keyvals/bulk", bulk).statusCode()).isEqualTo(413);
        assertThat(ApiSpec.send(http, "POST", "/bulk/api/9/http/keyvals/bulk", bulk).statusCode())
                .as("client_body_buffer_size raises the limit").isEqualTo(201);

        assertThat(ApiSpec.send(http, "POST", "/api/9/http/keyvals/nets", "{\"127.0.0.0/8\":\"loopback\"}").statusCode())
                .isEqualTo(201);
        assertThat(http.get("/net").body()).isEqualTo("net=loopback");
        assertThat(ApiSpec.send(http, "POST", "/api/9/stream/keyvals/streamzone", "{\"s\":\"1\"}").statusCode())
                .isEqualTo(201);
        assertThat(ApiSpec.send(http, "GET", "/api/9/stream/keyvals/", null).body()).isEqualTo("{\"streamzone\":{\"s\":\"1\"}}");
    }

    @Test
    void aPairLargerThanOneSyncRecordIsRefusedInASyncZoneUntilZoneSyncBuffersGrow() throws Exception {
        int syncPort = 0;
        nodes.add(InJvmNode.start(dir, config(syncPort, List.of())));
        Http http = nodes.get(0).http();
        String value = "x".repeat(5 * 1024);
        HttpResponse<String> post = ApiSpec.send(http, "POST", "/api/9/http/keyvals/one", "{\"k\":\"" + value + "\"}");
        assertThat(post.statusCode()).isEqualTo(413);
        assertThat(post.body()).contains("\"code\":\"KeyvalTooLarge\"")
                .contains("key \\\"k\\\" and its value take 5121 bytes, more than the 4055 bytes")
                .contains("raise the size of zone_sync_buffers");
        assertThat(http.get("/api/9/http/keyvals/one").body()).isEqualTo("{}");
        assertThat(ApiSpec.send(http, "POST", "/api/9/http/keyvals/one", "{\"k\":\"small\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> patch = ApiSpec.send(http, "PATCH", "/api/9/http/keyvals/one", "{\"k\":\"" + value + "\"}");
        assertThat(patch.statusCode()).isEqualTo(413);
        assertThat(patch.body()).contains("\"code\":\"KeyvalTooLarge\"");
        assertThat(http.get("/api/9/http/keyvals/one").body()).isEqualTo("{\"k\":\"small\"}");
        assertThat(ApiSpec.send(http, "POST", "/api/9/http/keyvals/bulk", "{\"k\":\"" + value + "\"}").statusCode())
                .as("a zone without sync is limited by its size only").isEqualTo(201);

        nodes.get(0).reload(config(syncPort, List.of()).replace("zone_sync;", "zone_sync; zone_sync_buffers 8 8k;"));
        assertThat(ApiSpec.send(http, "PATCH", "/api/9/http/keyvals/one", "{\"k\":\"" + value + "\"}").statusCode())
                .isEqualTo(204);
    }
}
