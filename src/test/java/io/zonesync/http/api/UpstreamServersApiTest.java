package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.Balancing;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.testing.MutableClock;
import io.zonesync.testing.TestApiState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /N/http/upstreams/{name}/servers[/{id}]}: list, add, change, remove, with NGINX Plus's
 * error codes; every answer validated against doc/api/openapi.yaml.
 */
class UpstreamServersApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final Map<String, UpstreamGroup> groups = new HashMap<>();
    private final UpstreamGroup group = new UpstreamGroup(new UpstreamSpec("backend", List.of(
            server("10.0.0.1"), server("10.0.0.2")), new Balancing.RoundRobin(), 0, 60_000, 1000, "backend", null, null),
            clock);
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
        @Override
        public Map<String, UpstreamGroup> httpUpstreams() {
            return groups;
        }
    }, clock, 1024);

    UpstreamServersApiTest() {
        groups.put("backend", group);
    }

    private static ServerSpec server(String ip) {
        return new ServerSpec(ip + ":80", new InetSocketAddress(ip, 80), 1, 1, 10_000, 0, false, false, null, null);
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
    void listsAddsChangesAndRemovesServers() throws Exception {
        JsonNode list = json(call("GET", "/9/http/upstreams/backend/servers", null));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("server").asText()).isEqualTo("10.0.0.1:80");
        assertThat(list.get(0).get("fail_timeout").asText()).isEqualTo("10s");

        ApiResponse added = call("POST", "/9/http/upstreams/backend/servers",
                "{\"server\":\"10.0.0.3:8080\",\"weight\":3,\"max_fails\":2,\"fail_timeout\":\"5s\",\"route\":\"c\"}");
        assertThat(added.status()).isEqualTo(201);
        JsonNode a = json(added);
        assertThat(a.get("id").asInt()).isEqualTo(2);
        assertThat(a.get("weight").asInt()).isEqualTo(3);
        assertThat(a.get("route").asText()).isEqualTo("c");
        assertThat(group.peers()).extracting(Peer::addressText).containsExactly("10.0.0.1:80", "10.0.0.2:80",
                "10.0.0.3:8080");

        JsonNode patched = json(call("PATCH", "/9/http/upstreams/backend/servers/0", "{\"drain\":true,\"weight\":5}"));
        assertThat(patched.get("drain").asBoolean()).isTrue();
        assertThat(patched.get("weight").asInt()).isEqualTo(5);
        JsonNode status = json(call("GET", "/9/http/upstreams/backend", null));
        assertThat(status.get("peers").get(0).get("state").asText()).isEqualTo("draining");
        // a draining server takes no new requests
        for (int i = 0; i < 10; i++) {
            Attempts attempts = group.newAttempts();
            Peer p = group.select(attempts, null, null);
            assertThat(p.id()).isNotZero();
            group.release(p, io.zonesync.http.upstream.Outcome.OK, attempts);
        }

        JsonNode left = json(call("DELETE", "/9/http/upstreams/backend/servers/1", null));
        assertThat(left).extracting(n -> n.get("id").asInt()).containsExactly(0, 2);
        assertThat(call("GET", "/9/http/upstreams/backend/servers/1", null).status()).isEqualTo(404);
        assertThat(json(call("GET", "/9/http/upstreams/backend/servers/2", null)).get("server").asText())
                .isEqualTo("10.0.0.3:8080");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST|/9/http/upstreams/backend/servers|{\"weight\":1}|400|UpstreamConfFormatError",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"bogus\":1}|400|UpstreamConfFormatError",
        "POST|/9/http/upstreams/backend/servers|{\"server\":{\"a\":1}}|400|UpstreamConfFormatError",
        "POST|/9/http/upstreams/backend/servers|[1]|400|UpstreamConfFormatError",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"weight\":\"x\"}|400|UpstreamConfFormatError",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"weight\":0}|400|UpstreamBadWeight",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"max_conns\":-1}|400|UpstreamBadMaxConns",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"max_fails\":-1}|400|UpstreamBadMaxFails",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"fail_timeout\":\"1x\"}|400|UpstreamBadFailTimeout",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"slow_start\":\"1x\"}|400|UpstreamBadSlowStart",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"route\":\"123456789012345678901234567890123\"}|400|UpstreamBadRoute",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"backend.test:80\"}|400|UpstreamConfNoResolver",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"backend.test\",\"service\":\"\"}|400|UpstreamBadService",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"backend.test:80\",\"service\":\"http\"}|400|UpstreamBadAddress",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9:99999\"}|400|UpstreamBadAddress",
        "POST|/9/http/upstreams/backend/servers|{\"server\":\"10.0.0.9\",\"service\":\"http\"}|400|UpstreamBadAddress",
        "POST|/9/http/upstreams/backend/servers|{\"server\"|415|JsonError",
        "POST|/9/http/upstreams/nope/servers|{\"server\":\"10.0.0.9\"}|404|UpstreamNotFound",
        "GET|/9/http/upstreams/backend/servers/x||400|UpstreamBadServerId",
        "GET|/9/http/upstreams/backend/servers/77||404|UpstreamServerNotFound",
        "PATCH|/9/http/upstreams/backend/servers/0|{\"server\":\"backend.test:80\"}|400|UpstreamBadAddress",
        "PATCH|/9/http/upstreams/backend/servers/0|{\"backup\":true}|400|UpstreamConfFormatError",
        "PATCH|/9/http/upstreams/backend/servers/9|{\"down\":true}|404|UpstreamServerNotFound",
        "DELETE|/9/http/upstreams/backend/servers/9||404|UpstreamServerNotFound",
        "PUT|/9/http/upstreams/backend/servers/0||405|MethodNotSupported",
        "GET|/9/http/upstreams/backend/other||404|PathNotFound",
    })
    void errorsCarryNginxPlusCodes(String method, String path, String body, int status, String code) throws Exception {
        ApiResponse r = call(method, path, body);
        assertThat(r.status()).isEqualTo(status);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo(code);
    }

    @Test
    void patchMovesAStaticServerToANewAddressUnderItsId() throws Exception {
        Attempts attempts = group.newAttempts();
        Peer before = group.select(attempts, null, null);
        group.account(before, 200, 10, 10);
        group.release(before, io.zonesync.http.upstream.Outcome.OK, attempts);
        int id = before.id();
        JsonNode moved = json(call("PATCH", "/9/http/upstreams/backend/servers/" + id,
                "{\"server\":\"10.0.0.7:8080\",\"weight\":2}"));
        assertThat(moved.get("id").asInt()).isEqualTo(id);
        assertThat(moved.get("server").asText()).isEqualTo("10.0.0.7:8080");
        assertThat(moved.get("weight").asInt()).isEqualTo(2);
        assertThat(group.peers()).extracting(Peer::id).containsExactly(0, 1);
        assertThat(group.peer(id).addressText()).isEqualTo("10.0.0.7:8080");
        // the new address is a new server: the old one's counters are not its own
        JsonNode peer = json(call("GET", "/9/http/upstreams/backend", null)).get("peers").get(id);
        assertThat(peer.get("server").asText()).isEqualTo("10.0.0.7:8080");
        assertThat(peer.get("requests").asLong()).isZero();
        // repeating the address changes nothing
        assertThat(call("PATCH", "/9/http/upstreams/backend/servers/" + id, "{\"server\":\"10.0.0.7:8080\"}")
                .status()).isEqualTo(200);
        assertThat(group.peer(id).spec().weight()).isEqualTo(2);
    }

    @Test
    void serversDnsGaveKeepTheirAddressAndSrvServersTheirWeight() throws Exception {
        ServerSpec byName = new ServerSpec("app.test:80", null, 1, 1, 10_000, 0, false, false, null, null, false, true,
                null, 0);
        ServerSpec bySrv = new ServerSpec("app.test", null, 1, 1, 10_000, 0, false, false, null, null, false, true,
                "http", 0);
        UpstreamGroup resolved = new UpstreamGroup(new UpstreamSpec("resolved", List.of(), List.of(byName, bySrv),
                new Balancing.RoundRobin(), 0, 60_000, 1000, "resolved", null, null, null, 0, 1000, null), clock);
        groups.put("resolved", resolved);
        resolved.resolved(byName, List.of(byName.at(new InetSocketAddress("10.0.1.1", 80))));
        resolved.resolved(bySrv, List.of(bySrv.at(new InetSocketAddress("10.0.1.2", 8080), 5, false)));
        assertThat(resolved.peers()).extracting(Peer::addressText).containsExactly("10.0.1.1:80", "10.0.1.2:8080");

        // each resolve line is listed with an id of its own, the parent of the servers DNS gave it
        JsonNode list = json(call("GET", "/9/http/upstreams/resolved/servers", null));
        assertThat(list).extracting(n -> n.get("id").asInt()).containsExactly(2, 3, 0, 1);
        assertThat(list.get(0).get("parent").asText()).isEqualTo("0");
        assertThat(list.get(0).get("host").asText()).isEqualTo("app.test:80");
        assertThat(list.get(1).get("parent").asText()).isEqualTo("1");
        assertThat(list.get(2).get("server").asText()).isEqualTo("app.test:80");
        assertThat(list.get(2).has("parent")).isFalse();
        assertThat(list.get(3).get("service").asText()).isEqualTo("http");

        ApiResponse r = call("PATCH", "/9/http/upstreams/resolved/servers/2", "{\"server\":\"10.0.1.9:80\"}");
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("UpstreamServerImmutable");
        assertThat(call("PATCH", "/9/http/upstreams/resolved/servers/2", "{\"server\":\"10.0.1.1:80\",\"weight\":4}")
                .status()).isEqualTo(200);
        r = call("PATCH", "/9/http/upstreams/resolved/servers/3", "{\"weight\":9}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("UpstreamServerWeightImmutable");
        assertThat(call("PATCH", "/9/http/upstreams/resolved/servers/3", "{\"max_fails\":3}").status()).isEqualTo(200);
        assertThat(resolved.peer(3).spec().weight()).isEqualTo(5);
        assertThat(resolved.peer(3).spec().maxFails()).isEqualTo(3);

        // a change to the line is its servers' change; DELETE of the line takes them away
        JsonNode line = json(call("PATCH", "/9/http/upstreams/resolved/servers/0", "{\"max_conns\":8,\"down\":true}"));
        assertThat(line.get("max_conns").asInt()).isEqualTo(8);
        assertThat(resolved.peer(2).spec().maxConns()).isEqualTo(8);
        assertThat(resolved.peer(2).spec().down()).isTrue();
        assertThat(json(call("PATCH", "/9/http/upstreams/resolved/servers/0", "{\"server\":\"other.test:80\"}"))
                .get("error").get("code").asText()).isEqualTo("UpstreamServerImmutable");
        assertThat(call("DELETE", "/9/http/upstreams/resolved/servers/2", null).status()).isEqualTo(400);
        JsonNode left = json(call("DELETE", "/9/http/upstreams/resolved/servers/0", null));
        assertThat(left).extracting(n -> n.get("id").asInt()).containsExactly(3, 1);
        assertThat(resolved.peers()).extracting(Peer::id).containsExactly(3);
        // a late answer for the removed line changes nothing
        assertThat(resolved.resolved(byName, List.of(byName.at(new InetSocketAddress("10.0.1.5", 80))))).isFalse();
        assertThat(resolved.stateLines()).extracting(ServerSpec::name).containsExactly("app.test");
    }

    @Test
    void writesNeedWriteOn() throws Exception {
        ApiResponse r = handler.handle(new ApiRequest("POST", "/9/http/upstreams/backend/servers", null,
                "{\"server\":\"10.0.0.9\"}".getBytes(StandardCharsets.UTF_8), "id", false));
        assertThat(r.status()).isEqualTo(405);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("MethodDisabled");
        assertThat(group.peers()).hasSize(2);
    }

    @Test
    void aBackupServerNeedsAMethodWithBackups() throws Exception {
        groups.put("hashed", new UpstreamGroup(new UpstreamSpec("hashed", List.of(server("10.0.0.1")),
                new Balancing.IpHash(), 0, 60_000, 1000, "hashed", null, null), clock));
        ApiResponse r = call("POST", "/9/http/upstreams/hashed/servers", "{\"server\":\"10.0.0.9\",\"backup\":true}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("UpstreamNoBackup");
        assertThat(call("POST", "/9/http/upstreams/backend/servers", "{\"server\":\"10.0.0.9\",\"backup\":true}")
                .status()).isEqualTo(201);
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).get("peers").get(2).get("backup").asBoolean())
                .isTrue();
    }

    @Test
    void aGroupWithAQueueShowsIt() throws Exception {
        UpstreamGroup queued = new UpstreamGroup(new UpstreamSpec("queued", List.of(server("10.0.0.1")), List.of(),
                new Balancing.RoundRobin(), 0, 60_000, 1000, "queued", null, null, null, 5, 1000, null), clock);
        groups.put("queued", queued);
        assertThat(queued.enqueue(() -> { })).isTrue();
        JsonNode q = json(call("GET", "/9/http/upstreams/queued", null)).get("queue");
        assertThat(q.get("size").asInt()).isEqualTo(1);
        assertThat(q.get("max_size").asInt()).isEqualTo(5);
        assertThat(q.get("overflows").asInt()).isZero();
        assertThat(json(call("GET", "/9/http/upstreams/backend", null)).has("queue")).isFalse();
    }
}
