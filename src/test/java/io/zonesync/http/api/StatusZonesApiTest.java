package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.statuszone.TestStatusZones;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.testing.TestApiState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /N/http/server_zones[/name]} and {@code /N/http/location_zones[/name]}; every answer is
 * validated against doc/api/openapi.yaml.
 */
class StatusZonesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FRONT = "{\"processing\":1,\"requests\":4,\"responses\":{\"1xx\":0,\"2xx\":2,"
            + "\"3xx\":0,\"4xx\":1,\"5xx\":0,\"codes\":{\"200\":2,\"404\":1},\"total\":3},\"discarded\":0,"
            + "\"received\":30,\"sent\":300,\"ssl\":{\"handshakes\":2,\"handshakes_failed\":1,\"session_reuses\":1,"
            + "\"no_common_protocol\":1,\"no_common_cipher\":0,\"handshake_timeout\":0,\"peer_rejected_cert\":0,"
            + "\"verify_failures\":{\"no_cert\":1,\"expired_cert\":0,\"revoked_cert\":0,\"other\":0}}}";
    private static final String API = "{\"requests\":2,\"responses\":{\"1xx\":0,\"2xx\":1,\"3xx\":0,\"4xx\":1,"
            + "\"5xx\":0,\"codes\":{\"200\":1,\"404\":1},\"total\":2},\"discarded\":0,\"received\":20,\"sent\":200}";

    private final StatusZones zones = new StatusZones();
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
        @Override
        public NginxInfo nginx() {
            return new NginxInfo("1.27.2", "zonesync", 1, Instant.EPOCH, 2, 1);
        }

        @Override
        public StatusZones statusZones() {
            return zones;
        }

        @Override
        public Map<String, Map<String, Object>> streamServerZones() {
            return Map.of("tcp", Map.of("processing", 1L, "connections", 3L, "sessions",
                    Map.of("2xx", 1L, "4xx", 1L, "5xx", 0L, "total", 2L), "discarded", 0L, "received", 5L, "sent", 7L,
                    "ssl", SslObject.of(new HandshakeCounters().report(), 9, false)));
        }

        @Override
        public boolean resetStreamServerZone(String name) {
            resets.add(name);
            return name.equals("tcp");
        }
    });
    private final List<String> resets = new ArrayList<>();

    StatusZonesApiTest() {
        TestStatusZones.served(zones, "front", null, 200, 10, 100);
        TestStatusZones.served(zones, "front", "api", 200, 10, 100);
        TestStatusZones.served(zones, "front", "api", 404, 10, 100);
        TestStatusZones.inProgress(zones, "front");
        TestStatusZones.handshakes(zones, "front").succeeded(false);
        TestStatusZones.handshakes(zones, "front").succeeded(true);
        TestStatusZones.handshakes(zones, "front").verifyFailed(HandshakeCounters.Verify.NO_CERT);
        TestStatusZones.handshakes(zones, "front").failed(HandshakeCounters.Failure.NO_COMMON_PROTOCOL);
        TestStatusZones.served(zones, "back", null, 503, 1, 2);
    }

    private ApiResponse call(String method, String path, String query, boolean write) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, query, new byte[0], "id", write));
        ApiSpec.check(method, path, r);
        return r;
    }

    private String get(String path, String query) throws Exception {
        ApiResponse r = call("GET", path, query, false);
        assertThat(r.status()).as(path).isEqualTo(200);
        return JSON.readTree(r.body()).toString();
    }

    @Test
    void serverZonesInPlusShape() throws Exception {
        assertThat(get("/9/http/server_zones/front", null)).isEqualTo(FRONT);
        assertThat(get("/9/http/server_zones", null)).startsWith("{\"back\":{\"processing\":0,\"requests\":1,")
                .endsWith(",\"front\":" + FRONT + "}");
        assertThat(get("/9/http/server_zones/", "fields=")).isEqualTo("{\"back\":{},\"front\":{}}");
        assertThat(get("/9/http/server_zones/front", "fields=requests,sent"))
                .isEqualTo("{\"requests\":4,\"sent\":300}");
        // the zones' ssl came with version 8
        assertThat(get("/7/http/server_zones/front", null)).doesNotContain("ssl");
        assertThat(get("/8/http/server_zones/front", null)).contains("\"ssl\":{\"handshakes\":2,");
    }

    @Test
    void locationZonesHaveNoProcessing() throws Exception {
        assertThat(get("/9/http/location_zones/api", null)).isEqualTo(API);
        assertThat(get("/9/http/location_zones/", null)).isEqualTo("{\"api\":" + API + "}");
    }

    @Test
    void unknownZonesAreNotFoundWithPlusCodes() {
        ApiResponse r = call("GET", "/9/http/server_zones/nope", null, false);
        assertThat(r.status()).isEqualTo(404);
        assertThat(new String(r.body())).contains("\"code\":\"ServerZoneNotFound\"");
        r = call("DELETE", "/9/http/location_zones/nope", null, true);
        assertThat(r.status()).isEqualTo(404);
        assertThat(new String(r.body())).contains("\"code\":\"LocationZoneNotFound\"");
        assertThat(call("GET", "/9/http/server_zones/front/x", null, false).status()).isEqualTo(404);
    }

    @Test
    void deleteResetsOneZoneKeepingWhatIsInProgress() throws Exception {
        assertThat(call("DELETE", "/9/http/server_zones/front", null, false).status()).as("needs write=on")
                .isEqualTo(405);
        assertThat(call("DELETE", "/9/http/server_zones/front", null, true).status()).isEqualTo(204);
        assertThat(get("/9/http/server_zones/front", null)).isEqualTo("{\"processing\":1,\"requests\":0,"
                + "\"responses\":{\"1xx\":0,\"2xx\":0,\"3xx\":0,\"4xx\":0,\"5xx\":0,\"codes\":{},\"total\":0},"
                + "\"discarded\":0,\"received\":0,\"sent\":0,\"ssl\":{\"handshakes\":0,\"handshakes_failed\":0,"
                + "\"session_reuses\":0,\"no_common_protocol\":0,\"no_common_cipher\":0,\"handshake_timeout\":0,"
                + "\"peer_rejected_cert\":0,\"verify_failures\":{\"no_cert\":0,\"expired_cert\":0,"
                + "\"revoked_cert\":0,\"other\":0}}}");
        assertThat(zones.serverZone("back").orElseThrow().requests()).as("other zones untouched").isEqualTo(1);
        assertThat(call("DELETE", "/9/http/location_zones/api", null, true).status()).isEqualTo(204);
        assertThat(zones.locationZone("api").orElseThrow().requests()).isZero();
        assertThat(call("DELETE", "/9/http/server_zones/", null, true).status()).isEqualTo(405);
    }

    @Test
    void theHttpListNamesThem() throws Exception {
        assertThat(get("/9/http/", null)).isEqualTo("[\"server_zones\",\"location_zones\",\"limit_reqs\",\"keyvals\"]");
    }

    @Test
    void streamServerZonesAreTheNodesFiguresAndResetThroughIt() throws Exception {
        assertThat(JSON.readTree(get("/9/stream/server_zones/tcp", null)).get("sessions").get("total").asLong())
                .isEqualTo(2);
        assertThat(get("/9/stream/server_zones", "fields=connections")).isEqualTo("{\"tcp\":{\"connections\":3}}");
        assertThat(get("/9/stream/server_zones/tcp", null)).contains("\"ssl\":{\"handshakes\":0,");
        assertThat(get("/7/stream/server_zones/tcp", null)).doesNotContain("ssl");
        assertThat(get("/9/stream/", null)).isEqualTo("[\"server_zones\",\"keyvals\"]");
        ApiResponse r = call("GET", "/9/stream/server_zones/nope", null, false);
        assertThat(new String(r.body())).contains("\"code\":\"ServerZoneNotFound\"");
        assertThat(call("DELETE", "/9/stream/server_zones/tcp", null, true).status()).isEqualTo(204);
        assertThat(call("DELETE", "/9/stream/server_zones/nope", null, true).status()).isEqualTo(404);
        assertThat(resets).containsExactly("tcp");
    }
}
