package io.zonesync.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.http.api.ApiHandler;
import io.zonesync.http.api.ApiRequest;
import io.zonesync.http.api.ApiState;
import io.zonesync.http.api.NginxInfo;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.statuszone.TestStatusZones;
import io.zonesync.net.ConnectionStats;
import io.zonesync.testing.MutableClock;
import io.zonesync.testing.TestApiState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON API and the metrics page read the same counters: a request moves both alike. */
class ApiAgreesWithMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionStats connections = new ConnectionStats();
    private final StatusZones zones = new StatusZones();
    private final ApiState state = new TestApiState() {
        @Override
        public NginxInfo nginx() {
            throw new AssertionError("not read");
        }

        @Override
        public ConnectionStats connections() {
            return connections;
        }

        @Override
        public StatusZones statusZones() {
            return zones;
        }
    };
    private final ApiHandler api = new ApiHandler(state);
    private final MetricsFeature metrics = new MetricsFeature(new NodeMetrics(state, connections, zones, Map::of,
            new MutableClock(0)));

    private JsonNode api(String path) throws IOException {
        return JSON.readTree(api.handle(new ApiRequest("GET", path, null, new byte[0], "id", false)).body());
    }

    /** A metric's value on the page, by its full name and labels as exposed ({@code name} or {@code name{..}}). */
    private long metric(String series) {
        String page = new String(metrics.expose(null).body(), StandardCharsets.UTF_8);
        return page.lines().filter(l -> l.startsWith(series + " ")).map(l -> (long) Double.parseDouble(
                l.substring(series.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(series));
    }

    private void request(int status) {
        EmbeddedChannel ch = new EmbeddedChannel();
        connections.accepted(ch);
        connections.readingHeader(ch);
        connections.headerRead(ch);
        connections.requestStarted(ch);
        TestStatusZones.served(zones, "front", "api", status, 50, 500);
        connections.requestEnded(ch);
    }

    private void assertAgree() throws IOException {
        JsonNode c = api("/9/connections");
        assertThat(metric("nginxplus_connections_accepted")).isEqualTo(c.get("accepted").asLong());
        assertThat(metric("nginxplus_connections_dropped")).isEqualTo(c.get("dropped").asLong());
        assertThat(metric("nginxplus_connections_active")).isEqualTo(c.get("active").asLong());
        assertThat(metric("nginxplus_connections_idle")).isEqualTo(c.get("idle").asLong());
        JsonNode r = api("/9/http/requests");
        assertThat(metric("nginxplus_http_requests_total")).isEqualTo(r.get("total").asLong());
        assertThat(metric("nginxplus_http_requests_current")).isEqualTo(r.get("current").asLong());
        JsonNode front = api("/9/http/server_zones/front");
        assertThat(metric("nginxplus_server_zone_requests{server_zone=\"front\"}"))
                .isEqualTo(front.get("requests").asLong());
        assertThat(metric("nginxplus_server_zone_responses{code=\"2xx\",server_zone=\"front\"}"))
                .isEqualTo(front.get("responses").get("2xx").asLong());
        assertThat(metric("nginxplus_server_zone_sent{server_zone=\"front\"}")).isEqualTo(front.get("sent").asLong());
        JsonNode loc = api("/9/http/location_zones/api");
        assertThat(metric("nginxplus_location_zone_requests{location_zone=\"api\"}"))
                .isEqualTo(loc.get("requests").asLong());
    }

    @Test
    void aRequestMovesBothAlike() throws IOException {
        request(200);
        assertAgree();
        assertThat(api("/9/http/requests").get("total").asLong()).isEqualTo(1);
        request(200);
        request(404);
        assertAgree();
        assertThat(api("/9/connections").get("accepted").asLong()).isEqualTo(3);
        assertThat(api("/9/http/server_zones/front").get("requests").asLong()).isEqualTo(3);
    }

    @Test
    void aResetThroughTheApiResetsThePageToo() throws IOException {
        request(200);
        api.handle(new ApiRequest("DELETE", "/9/connections", null, new byte[0], "id", true));
        api.handle(new ApiRequest("DELETE", "/9/http/requests", null, new byte[0], "id", true));
        api.handle(new ApiRequest("DELETE", "/9/http/server_zones/front", null, new byte[0], "id", true));
        assertThat(metric("nginxplus_connections_accepted")).isZero();
        assertThat(metric("nginxplus_http_requests_total")).isZero();
        assertThat(metric("nginxplus_server_zone_requests{server_zone=\"front\"}")).isZero();
        assertAgree();
    }
}
