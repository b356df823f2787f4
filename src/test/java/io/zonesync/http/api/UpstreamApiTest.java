package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.Balancing;
import io.zonesync.http.upstream.Outcome;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.testing.MutableClock;
import io.zonesync.testing.TestApiState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /N/http/upstreams}: shapes validated against doc/api/openapi.yaml, counters, failures, reset, errors. */
class UpstreamApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final UpstreamGroup group = new UpstreamGroup(new UpstreamSpec("backend", List.of(
            server("10.0.0.1", 2, false), server("10.0.0.2", 1, false), server("10.0.0.3", 1, true)),
            new Balancing.RoundRobin(), 8, 60_000, 1000, "backend", null, null), clock);
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
        @Override
        public Map<String, UpstreamGroup> httpUpstreams() {
            return Map.of("backend", group);
        }
    }, clock, 1024);

    private static ServerSpec server(String ip, int weight, boolean backup) {
        return new ServerSpec(ip + ":80", new InetSocketAddress(ip, 80), weight, 1, 10_000, 0, backup, false, null, null);
    }

    private ApiResponse call(String method, String path, String query) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, query, new byte[0], "0123456789abcdef0123456789abcdef",
                true));
        ApiSpec.check(method, path, r);
        return r;
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void showsPeersWithCountersFailuresAndBackup() throws Exception {
        Attempts a = group.newAttempts();
        Peer first = group.select(a, null, null);
        group.account(first, 200, 120, 3400);
        group.release(first, Outcome.OK, a);
        Attempts b = group.newAttempts();
        Peer failing = group.select(b, null, null);
        group.release(failing, Outcome.FAILED, b);
        clock.advance(5);

        JsonNode all = json(call("GET", "/9/http/upstreams", null));
        JsonNode up = all.path("backend");
        assertThat(up.path("zone").asText()).isEqualTo("backend");
        assertThat(up.path("keepalive").asInt()).isZero();
        JsonNode peers = up.path("peers");
        assertThat(peers).hasSize(3);
        JsonNode p0 = peers.get(first.id());
        assertThat(p0.path("server").asText()).isEqualTo("10.0.0.1:80");
        assertThat(p0.path("requests").asLong()).isEqualTo(1);
        assertThat(p0.path("responses").path("2xx").asLong()).isEqualTo(1);
        assertThat(p0.path("responses").path("codes").toString()).isEqualTo("{\"200\":1}");
        assertThat(p0.path("sent").asLong()).isEqualTo(120);
        assertThat(p0.path("received").asLong()).isEqualTo(3400);
        assertThat(p0.path("selected").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
        JsonNode p1 = peers.get(failing.id());
        assertThat(p1.path("state").asText()).isEqualTo("unavail");
        assertThat(p1.path("fails").asLong()).isEqualTo(1);
        assertThat(p1.path("unavail").asLong()).isEqualTo(1);
        assertThat(p1.path("downtime").asLong()).isEqualTo(5);
        assertThat(p1.has("downstart")).isTrue();
        assertThat(peers.get(2).path("backup").asBoolean()).isTrue();
        clock.advance(20_000); // past fail_timeout (10 s): up again, and no longer down
        JsonNode later = json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(failing.id());
        assertThat(later.path("state").asText()).isEqualTo("up");
        assertThat(later.path("downtime").asLong()).isEqualTo(10_000);
        assertThat(later.has("downstart")).isFalse();

        assertThat(json(call("GET", "/9/http/upstreams/backend", "fields=zone")).toString())
                .isEqualTo("{\"zone\":\"backend\"}");
        assertThat(call("DELETE", "/9/http/upstreams/backend", null).status()).isEqualTo(204);
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(0).path("requests").asLong())
                .isZero();
        assertThat(json(call("GET", "/9/http/", null)).toString()).isEqualTo("[\"limit_reqs\",\"keyvals\",\"upstreams\"]");
    }

    @Test
    void aServersSslAppearsWithItsFirstHandshakeFromVersion8AndDeleteZeroesIt() throws Exception {
        Peer tls = group.peers().get(0);
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(0).has("ssl")).isFalse();
        group.handshakes(tls).succeeded(true);
        group.handshakes(tls).failed(io.zonesync.net.HandshakeCounters.Failure.TIMEOUT);
        JsonNode ssl = json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(0).path("ssl");
        assertThat(ssl.toString()).isEqualTo("{\"handshakes\":1,\"handshakes_failed\":1,\"session_reuses\":1,"
                + "\"no_common_protocol\":0,\"handshake_timeout\":1,\"peer_rejected_cert\":0,\"verify_failures\":"
                + "{\"expired_cert\":0,\"revoked_cert\":0,\"hostname_mismatch\":0,\"other\":0}}");
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(1).has("ssl"))
                .as("a server without TLS").isFalse();
        assertThat(json(call("GET", "/7/http/upstreams/backend", null)).path("peers").get(0).has("ssl")).isFalse();
        assertThat(call("DELETE", "/9/http/upstreams/backend", null).status()).isEqualTo(204);
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).path("peers").get(0).path("ssl")
                .path("handshakes_failed").asLong()).isZero();
    }

    @Test
    void unknownUpstreamAndUnsupportedPaths() throws Exception {
        ApiResponse missing = call("GET", "/9/http/upstreams/nope", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").asText()).isEqualTo("UpstreamNotFound");
        assertThat(call("GET", "/9/http/upstreams/backend/servers/0/more", null).status()).isEqualTo(404);
        assertThat(call("POST", "/9/http/upstreams/backend", null).status()).isEqualTo(405);
        assertThat(call("DELETE", "/9/http/upstreams", null).status()).isEqualTo(405);
    }
}
