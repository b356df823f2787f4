package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.testing.TestApiState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code /N/connections}, {@code /N/http/requests}, {@code /N/processes}, {@code /N/ssl} and the endpoint lists that
 * name them; every answer is validated against doc/api/openapi.yaml.
 */
class CountersApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionStats stats = new ConnectionStats();
    private ConnectionStats served = stats;
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
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
        EmbeddedChannel busy = new EmbeddedChannel();
        EmbeddedChannel idle = new EmbeddedChannel();
        stats.accepted(busy);
        stats.accepted(idle);
        stats.dropped(new EmbeddedChannel());
        stats.readingHeader(busy);
        stats.headerRead(busy);
        stats.requestStarted(busy);
        stats.readingHeader(idle);
        stats.headerRead(idle);
        stats.requestStarted(idle);
        stats.requestEnded(idle);
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
                .isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"ssl\",\"workers\"]");
        assertThat(get("/8/", null).toString())
                .isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"ssl\"]");
        assertThat(get("/9/http/", null).toString()).isEqualTo("[\"requests\",\"limit_reqs\",\"keyvals\"]");
        assertThat(get("/5/http/", null).toString()).isEqualTo("[\"requests\",\"keyvals\"]");
    }

    @Test
    void sslCountsEveryListenersHandshakesAndDeleteResetsThem() throws Exception {
        HandshakeCounters h = stats.handshakes();
        h.succeeded(false);
        h.succeeded(true);
        h.failed(HandshakeCounters.Failure.NO_COMMON_CIPHER);
        h.failed(HandshakeCounters.Failure.OTHER);
        h.verifyFailed(HandshakeCounters.Verify.HOSTNAME_MISMATCH);
        assertThat(get("/9/ssl", null).toString()).isEqualTo("{\"handshakes\":2,\"handshakes_failed\":2,"
                + "\"session_reuses\":1,\"no_common_protocol\":0,\"no_common_cipher\":1,\"handshake_timeout\":0,"
                + "\"peer_rejected_cert\":0,\"verify_failures\":{\"no_cert\":0,\"expired_cert\":0,"
                + "\"revoked_cert\":0,\"hostname_mismatch\":1,\"other\":0}}");
        // before version 8, only the three totals
        assertThat(get("/7/ssl", null).toString())
                .isEqualTo("{\"handshakes\":2,\"handshakes_failed\":2,\"session_reuses\":1}");
        assertThat(get("/9/ssl", "fields=handshakes").toString()).isEqualTo("{\"handshakes\":2}");
        assertThat(call("DELETE", "/9/ssl", null, false).status()).isEqualTo(405);
        assertThat(call("DELETE", "/9/ssl", null, true).status()).isEqualTo(204);
        assertThat(get("/9/ssl", null).get("handshakes").asLong()).isZero();
        assertThat(get("/9/ssl", null).get("verify_failures").get("hostname_mismatch").asLong()).isZero();
        assertThat(call("POST", "/9/ssl", null, true).status()).isEqualTo(405);
    }

    @Test
    void pathsWithoutMeaningHereAreNotFound() {
        for (String path : new String[] {"/9/slabs/", "/8/workers/", "/9/ssl/x", "/9/connections/x"}) {
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
