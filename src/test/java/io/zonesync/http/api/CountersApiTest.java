package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.ConnectionStats;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /N/connections}, {@code /N/http/requests}, {@code /N/processes} and the endpoint lists that
 * name them; every answer is validated against doc/api/openapi.yaml.
 */
class CountersApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionStats stats = new ConnectionStats();
    private ConnectionStats served = stats;
    private final ApiHandler handler = new ApiHandler(new ApiState() {
        @Override
        public Map<String, KeyvalZone> httpKeyvalZones() {
            return Map.of();
        }

        @Override
        public Map<String, KeyvalZone> streamKeyvalZones() {
            return Map.of();
        }

        @Override
        public NginxInfo nginx() {
            return new NginxInfo("1.27.2", "zonesync", 1, Instant.EPOCH, 2, 1);
        }

        @Override
        public ConnectionStats connections() {
            return served;
        }
    });

    private ApiResponse call(String method, String path, String query, boolean write) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, query, new byte[0], "id", write));
        ApiSpec.check(method, path, r);
        return r;
    }

    private JsonNode get(String path, String query) throws Exception {
        ApiResponse r = call("GET", path, query, false);
        assertThat(r.status()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Two clients: one with a request in progress, one idle; a third refused over worker_connections. */
    private void traffic() {
        stats.accepted(new EmbeddedChannel());
        stats.accepted(new EmbeddedChannel());
        stats.dropped();
        stats.readingHeader();
        stats.headerRead();
        stats.requestStarted();
        stats.readingHeader();
        stats.headerRead();
        stats.requestStarted();
        stats.requestEnded();
    }

    @Test
    void connectionsAreStubStatusFiguresInPlusShape() throws Exception {
        traffic();
        assertThat(get("/9/connections", null).toString())
                .isEqualTo("{\"accepted\":3,\"dropped\":1,\"active\":1,\"idle\":1}");
        assertThat(get("/9/connections", "fields=accepted,idle").toString()).isEqualTo("{\"accepted\":3,\"idle\":1}");
        assertThat(get("/1/connections", null).get("accepted").asLong()).isEqualTo(3);
    }

    @Test
    void deleteResetsAcceptedAndDroppedOnly() throws Exception {
        traffic();
        assertThat(call("DELETE", "/9/connections", null, false).status()).as("needs write=on").isEqualTo(405);
        assertThat(get("/9/connections", null).get("accepted").asLong()).isEqualTo(3);
        assertThat(call("DELETE", "/9/connections", null, true).status()).isEqualTo(204);
        assertThat(get("/9/connections", null).toString())
                .isEqualTo("{\"accepted\":0,\"dropped\":0,\"active\":1,\"idle\":1}");
        assertThat(stats.snapshot().accepted()).as("stub_status reads the same counters").isZero();
    }

    @Test
    void requestsAreTotalAndCurrent() throws Exception {
        traffic();
        assertThat(get("/9/http/requests", null).toString()).isEqualTo("{\"total\":2,\"current\":1}");
        assertThat(get("/9/http/requests", "fields=current").toString()).isEqualTo("{\"current\":1}");
        assertThat(call("DELETE", "/9/http/requests", null, true).status()).isEqualTo(204);
        assertThat(get("/9/http/requests", null).toString()).isEqualTo("{\"total\":0,\"current\":1}");
        assertThat(call("POST", "/9/http/requests", null, true).status()).isEqualTo(405);
    }

    @Test
    void processesAreOneThatNeverRespawns() throws Exception {
        assertThat(get("/9/processes", null).toString()).isEqualTo("{\"respawned\":0}");
        assertThat(call("DELETE", "/9/processes", null, true).status()).isEqualTo(204);
        assertThat(call("PATCH", "/9/processes", null, true).status()).isEqualTo(405);
    }

    @Test
    void listsNameTheNewEndpointsInPlusOrder() throws Exception {
        assertThat(get("/9/", null).toString())
                .isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\"]");
        assertThat(get("/9/http/", null).toString()).isEqualTo("[\"requests\",\"limit_reqs\",\"keyvals\"]");
        assertThat(get("/5/http/", null).toString()).isEqualTo("[\"requests\",\"keyvals\"]");
    }

    @Test
    void pathsWithoutMeaningHereAreNotFound() {
        for (String path : new String[] {"/9/slabs/", "/9/workers/", "/9/resolvers/", "/9/ssl", "/9/connections/x"}) {
            ApiResponse r = call("GET", path, null, false);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(new String(r.body())).as(path).contains("\"code\":\"PathNotFound\"");
        }
    }

    @Test
    void withoutANodeBehindTheApiTheCountersAreNotServed() throws Exception {
        served = null;
        assertThat(call("GET", "/9/connections", null, false).status()).isEqualTo(404);
        assertThat(get("/9/", null).toString()).isEqualTo("[\"nginx\",\"http\",\"stream\"]");
    }
}
