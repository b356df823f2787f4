package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /connections}, {@code /http/requests}, {@code /processes} and the status zones through
 * a real node: real requests move them, they agree with stub_status and the metrics page, and every
 * answer matches the API's OpenAPI document.
 */
class MonitoringApiIT {
    private static final String CONFIG = """
            events { }
            stream {
                server { listen 127.0.0.3:0; status_zone tcp; deny all; proxy_pass 127.0.0.1:9; }
            }
            http {
                access_log off;
                server {
                    listen 127.0.0.1:0;
                    location /api { api write=on; }
                    location /metrics { metrics; }
                    location /stub { stub_status; }
                }
                server {
                    listen 127.0.0.2:0;
                    status_zone front;
                    location / { return 200 "ok"; }
                    location /missing/ { status_zone lost; return 404; }
                }
            }
            """;

    @TempDir
    Path dir;
    private InJvmNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** stub_status's accepts, handled and requests. */
    private static long[] stub(Http http) {
        Matcher m = Pattern.compile("\\n (\\d+) (\\d+) (\\d+) \\n").matcher(http.get("/stub").body());
        assertThat(m.find()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    private static long metric(Http http, String series) {
        return http.get("/metrics").body().lines().filter(l -> l.startsWith(series + " "))
                .map(l -> (long) Double.parseDouble(l.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series));
    }

    @Test
    void realRequestsMoveTheApiStubStatusAndMetricsAlike() throws Exception {
        node = InJvmNode.start(dir, CONFIG);
        Http admin = node.http();
        Http front = new Http("127.0.0.2", node.httpPort("127.0.0.2:0"));
        assertThat(front.get("/").statusCode()).isEqualTo(200);
        assertThat(front.get("/again").statusCode()).isEqualTo(200);
        assertThat(front.get("/missing/x").statusCode()).isEqualTo(404);

        // the servers' zones: exactly the three requests made to them
        JsonNode zone = ApiSpec.getJson(admin, "/9/http/server_zones/front");
        assertThat(zone.get("requests").asLong()).isEqualTo(3);
        assertThat(zone.get("responses").get("2xx").asLong()).isEqualTo(2);
        assertThat(zone.get("responses").get("codes").get("404").asLong()).isEqualTo(1);
        assertThat(zone.get("received").asLong()).isPositive();
        assertThat(ApiSpec.getJson(admin, "/9/http/location_zones/lost").get("requests").asLong()).isEqualTo(1);
        assertThat(metric(admin, "nginxplus_server_zone_requests{server_zone=\"front\"}")).isEqualTo(3);
        assertThat(ApiSpec.getJson(admin, "/9/http/server_zones/").fieldNames()).toIterable().containsExactly("front");

        // one client, one request at a time: each report counts itself and the ones before
        long[] s = stub(admin);
        JsonNode requests = ApiSpec.getJson(admin, "/9/http/requests");
        assertThat(requests.get("total").asLong()).isEqualTo(s[2] + 1);
        assertThat(requests.get("current").asLong()).as("this request").isEqualTo(1);
        assertThat(metric(admin, "nginxplus_http_requests_total")).isEqualTo(s[2] + 2);
        JsonNode connections = ApiSpec.getJson(admin, "/9/connections");
        assertThat(connections.get("accepted").asLong()).isGreaterThanOrEqualTo(s[0]).isGreaterThanOrEqualTo(2);
        assertThat(connections.get("dropped").asLong()).isEqualTo(s[0] - s[1]).isZero();
        assertThat(connections.get("active").asLong()).as("this request").isEqualTo(1);

        assertThat(ApiSpec.send(admin, "DELETE", "/api/9/http/requests", null).statusCode()).isEqualTo(204);
        assertThat(ApiSpec.getJson(admin, "/9/http/requests").get("total").asLong()).as("itself").isEqualTo(1);
        assertThat(stub(admin)[2]).isEqualTo(2);
        assertThat(ApiSpec.send(admin, "DELETE", "/api/9/http/server_zones/front", null).statusCode()).isEqualTo(204);
        assertThat(ApiSpec.getJson(admin, "/9/http/server_zones/front").get("requests").asLong()).isZero();
        assertThat(metric(admin, "nginxplus_server_zone_requests{server_zone=\"front\"}")).isZero();

        assertThat(ApiSpec.getJson(admin, "/9/processes").toString()).isEqualTo("{\"respawned\":0}");
        assertThat(ApiSpec.getJson(admin, "/9/").toString())
                .isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"resolvers\",\"ssl\",\"workers\"]");
        assertThat(ApiSpec.getJson(admin, "/9/resolvers/").toString()).as("no resolver names a status zone").isEqualTo("{}");
        assertThat(ApiSpec.send(admin, "GET", "/api/9/slabs/", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aStreamConnectionMovesItsServerZone() throws Exception {
        node = InJvmNode.start(dir, CONFIG);
        Http admin = node.http();
        int port = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.3:0")).getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.3", port));
            assertThat(s.getInputStream().read()).as("denied: closed").isEqualTo(-1);
        }
        await().until(() -> ApiSpec.getJson(admin, "/9/stream/server_zones/tcp").get("sessions").get("total").asLong() == 1);
        JsonNode tcp = ApiSpec.getJson(admin, "/9/stream/server_zones/tcp");
        assertThat(tcp.get("connections").asLong()).isEqualTo(1);
        assertThat(tcp.get("sessions").get("4xx").asLong()).isEqualTo(1);
        assertThat(metric(admin, "nginxplus_stream_server_zone_connections{server_zone=\"tcp\"}")).isEqualTo(1);
        assertThat(ApiSpec.send(admin, "DELETE", "/api/9/stream/server_zones/tcp", null).statusCode()).isEqualTo(204);
        assertThat(ApiSpec.getJson(admin, "/9/stream/server_zones/tcp").get("connections").asLong()).isZero();
        assertThat(metric(admin, "nginxplus_stream_server_zone_connections{server_zone=\"tcp\"}")).isZero();
        assertThat(ApiSpec.getJson(admin, "/9/stream/").get(0).asText()).isEqualTo("server_zones");
    }
}
