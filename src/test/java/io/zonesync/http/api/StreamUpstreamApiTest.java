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
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /N/stream/upstreams[/name[/servers[/id]]]}: NGINX Plus's stream shapes (connections and
 * connect, first byte and response times instead of requests and responses; no route, no drain),
 * the same server changes as http, and its error codes; every answer validated against
 * doc/api/openapi.yaml.
 */
class StreamUpstreamApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final Map<String, UpstreamGroup> streamGroups = new LinkedHashMap<>();
    private final Map<String, UpstreamGroup> httpGroups = new LinkedHashMap<>();
    private final UpstreamGroup group = UpstreamGroup.keyedByCaller(new UpstreamSpec("tcp", List.of(
            server("10.0.0.1"), server("10.0.0.2")), new Balancing.RoundRobin(), 0, 60_000, 1000, "tcp", null, null),
            clock);
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
        @Override
        public Map<String, UpstreamGroup> httpUpstreams() {
            return httpGroups;
        }

        @Override
        public Map<String, UpstreamGroup> streamUpstreams() {
            return streamGroups;
        }
    }, clock, 1024);

    StreamUpstreamApiTest() {
        streamGroups.put("tcp", group);
    }

    private static ServerSpec server(String ip) {
        return new ServerSpec(ip + ":5432", new InetSocketAddress(ip, 5432), 1, 1, 10_000, 0, false, false, null,
                null);
    }

    private ApiResponse call(String method, String path, String body) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, null,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "0123456789abcdef0123456789abcdef",
                true));
        ApiSpec.check(method, path, r);
        return r;
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void theStreamEndpointsListUpstreamsOnlyWhenAGroupHasAZone() throws Exception {
        assertThat(json(call("GET", "/9/stream/", null))).extracting(JsonNode::asText).contains("upstreams");
        streamGroups.clear();
        assertThat(json(call("GET", "/9/stream/", null))).extracting(JsonNode::asText).doesNotContain("upstreams");
        assertThat(json(call("GET", "/9/stream/upstreams", null))).isEmpty();
    }

    @Test
    void aServerShowsItsConnectionsBytesAndTimes() throws Exception {
        JsonNode fresh = json(call("GET", "/9/stream/upstreams/tcp", null));
        assertThat(fresh.get("zone").asText()).isEqualTo("tcp");
        assertThat(fresh.get("zombies").asInt()).isZero();
        assertThat(fresh.has("keepalive")).isFalse();
        JsonNode first = fresh.get("peers").get(0);
        assertThat(first.get("connections").asLong()).isZero();
        assertThat(first.has("requests")).isFalse();
        assertThat(first.has("responses")).isFalse();
        assertThat(first.has("connect_time")).isFalse();
        assertThat(first.get("state").asText()).isEqualTo("up");

        // two connections to the first server: one whose server answered, one whose server never did
        for (long firstByte : new long[] {30, -1}) {
            Attempts attempts = group.newAttempts();
            Peer p = group.selectFor(attempts, null, null);
            while (p.id() != 0) {
                group.release(p, Outcome.OK, attempts);
                attempts = group.newAttempts();
                p = group.selectFor(attempts, null, null);
            }
            assertThat(json(call("GET", "/9/stream/upstreams/tcp", null)).get("peers").get(0).get("active").asInt())
                    .isEqualTo(1);
            group.account(p, 0, 100, 2000);
            group.timedConnection(p, 4, firstByte, firstByte < 0 ? 1000 : 500);
            group.release(p, Outcome.OK, attempts);
        }
        JsonNode peer = json(call("GET", "/9/stream/upstreams/tcp", null)).get("peers").get(0);
        assertThat(peer.get("connections").asLong()).isEqualTo(2);
        assertThat(peer.get("active").asInt()).isZero();
        assertThat(peer.get("sent").asLong()).isEqualTo(200);
        assertThat(peer.get("received").asLong()).isEqualTo(4000);
        assertThat(peer.get("connect_time").asLong()).isEqualTo(4);
        assertThat(peer.get("first_byte_time").asLong()).isEqualTo(30);
        assertThat(peer.get("response_time").asLong()).isEqualTo(750);
        assertThat(peer.get("selected").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(peer.get("health_checks").get("checks").asLong()).isZero();

        assertThat(call("DELETE", "/9/stream/upstreams/tcp", null).status()).isEqualTo(204);
        JsonNode reset = json(call("GET", "/9/stream/upstreams/tcp", null)).get("peers").get(0);
        assertThat(reset.get("connections").asLong()).isZero();
        assertThat(reset.get("sent").asLong()).isZero();
        assertThat(reset.has("connect_time")).isFalse();
        assertThat(json(call("GET", "/9/stream/upstreams", "")).has("tcp")).isTrue();
    }

    @Test
    void fieldsKeepsTheFieldsNamed() throws Exception {
        ApiResponse r = handler.handle(new ApiRequest("GET", "/9/stream/upstreams", "fields=zone", new byte[0], "id",
                true));
        ApiSpec.check("GET", "/9/stream/upstreams", r);
        JsonNode tcp = json(r).get("tcp");
        assertThat(tcp.size()).isEqualTo(1);
        assertThat(tcp.get("zone").asText()).isEqualTo("tcp");
    }

    @Test
    void serversAreAddedChangedAndRemoved() throws Exception {
        JsonNode list = json(call("GET", "/9/stream/upstreams/tcp/servers", null));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("server").asText()).isEqualTo("10.0.0.1:5432");
        assertThat(list.get(0).has("route")).isFalse();

        ApiResponse added = call("POST", "/9/stream/upstreams/tcp/servers",
                "{\"server\":\"10.0.0.3:5433\",\"weight\":3,\"max_conns\":7,\"slow_start\":\"20s\"}");
        assertThat(added.status()).isEqualTo(201);
        JsonNode a = json(added);
        assertThat(a.get("id").asInt()).isEqualTo(2);
        assertThat(a.get("slow_start").asText()).isEqualTo("20s");
        assertThat(group.peers()).extracting(Peer::addressText).containsExactly("10.0.0.1:5432", "10.0.0.2:5432",
                "10.0.0.3:5433");

        JsonNode patched = json(call("PATCH", "/9/stream/upstreams/tcp/servers/0", "{\"down\":true}"));
        assertThat(patched.get("down").asBoolean()).isTrue();
        assertThat(json(call("GET", "/9/stream/upstreams/tcp", null)).get("peers").get(0).get("state").asText())
                .isEqualTo("down");
        for (int i = 0; i < 8; i++) {
            Attempts attempts = group.newAttempts();
            Peer p = group.selectFor(attempts, null, null);
            assertThat(p.id()).isNotZero();
            group.release(p, Outcome.OK, attempts);
        }

        JsonNode left = json(call("DELETE", "/9/stream/upstreams/tcp/servers/1", null));
        assertThat(left).extracting(n -> n.get("id").asInt()).containsExactly(0, 2);
        assertThat(call("GET", "/9/stream/upstreams/tcp/servers/1", null).status()).isEqualTo(404);
    }

    @Test
    void streamAndHttpGroupsAreApart() throws Exception {
        assertThat(call("GET", "/9/http/upstreams/tcp", null).status()).isEqualTo(404);
        httpGroups.put("web", new UpstreamGroup(new UpstreamSpec("web", List.of(server("10.0.0.9")),
                new Balancing.RoundRobin(), 0, 60_000, 1000, "web", null, null), clock));
        assertThat(call("GET", "/9/stream/upstreams/web", null).status()).isEqualTo(404);
        assertThat(json(call("GET", "/9/http/upstreams/web/servers", null)).get(0).has("route")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST|/9/stream/upstreams/tcp/servers|{\"server\":\"10.0.0.9:1\",\"route\":\"a\"}|400|UpstreamConfFormatError",
        "POST|/9/stream/upstreams/tcp/servers|{\"server\":\"10.0.0.9:1\",\"drain\":true}|400|UpstreamConfFormatError",
        "POST|/9/stream/upstreams/tcp/servers|{\"weight\":1}|400|UpstreamConfFormatError",
        "POST|/9/stream/upstreams/tcp/servers|{\"server\":\"10.0.0.9:1\",\"weight\":0}|400|UpstreamBadWeight",
        "POST|/9/stream/upstreams/tcp/servers|{\"server\":\"10.0.0.9:1\",\"max_fails\":-1}|400|UpstreamBadMaxFails",
        "POST|/9/stream/upstreams/tcp/servers|{\"server\"|415|JsonError",
        "POST|/9/stream/upstreams/nope/servers|{\"server\":\"10.0.0.9:1\"}|404|UpstreamNotFound",
        "PATCH|/9/stream/upstreams/tcp/servers/0|{\"drain\":true}|400|UpstreamConfFormatError",
        "POST|/9/stream/upstreams/tcp/servers|{\"server\":\"10.0.0.9\"}|400|UpstreamBadAddress",
        "PATCH|/9/stream/upstreams/tcp/servers/0|{\"server\":\"10.0.0.7\"}|400|UpstreamBadAddress",
        "GET|/9/stream/upstreams/tcp/servers/x||400|UpstreamBadServerId",
        "DELETE|/9/stream/upstreams/tcp/servers/9||404|UpstreamServerNotFound",
        "GET|/9/stream/upstreams/nope||404|UpstreamNotFound",
        "POST|/9/stream/upstreams/tcp||405|MethodNotSupported",
        "GET|/9/stream/upstreams/tcp/other||404|PathNotFound",
    })
    void errorsCarryNginxPlusCodes(String method, String path, String body, int status, String code) throws Exception {
        ApiResponse r = call(method, path, body);
        assertThat(r.status()).isEqualTo(status);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo(code);
    }

    @Test
    void writesNeedWriteOn() throws Exception {
        ApiResponse r = handler.handle(new ApiRequest("DELETE", "/9/stream/upstreams/tcp/servers/0", null,
                new byte[0], "id", false));
        assertThat(r.status()).isEqualTo(405);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("MethodDisabled");
        assertThat(group.peers()).hasSize(2);
    }
}
