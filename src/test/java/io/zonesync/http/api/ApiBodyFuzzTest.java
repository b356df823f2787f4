package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.limitreq.LimitReqZone;
import io.zonesync.http.upstream.Balancing;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.keyval.KeyvalType;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.testing.MutableClock;
import io.zonesync.keyval.TestStamps;
import io.zonesync.testing.TestApiState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whatever request reaches the API, with whatever body, the answer is a 2xx or a 4xx carrying the
 * NGINX Plus error envelope, never a 500 or an exception; and the zones still read back as JSON
 * afterwards. The node's state is fresh for each input: keyval zones of each type (one of them with
 * a timeout and a pair already in it), a stream keyval zone, a limit_req zone and an upstream group.
 *
 * <p>The input is text: a first line {@code METHOD PATH[?QUERY]}, with {@code " ro"} appended for a
 * location without {@code write=on}, and the body after it; a request without a line break has an
 * empty body. A plain {@code mvn test} runs this in regression mode over the seeds in
 * {@code src/test/resources/io/zonesync/http/api/ApiBodyFuzzTestInputs/}; {@code bench/fuzz/run.sh}
 * fuzzes it for real.
 */
class ApiBodyFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "0123456789abcdef0123456789abcdef";
    private static final int BODY_LIMIT = 4096;

    @FuzzTest(maxDuration = "5m")
    void answers2xxOr4xxWithTheEnvelope(byte[] input) throws IOException {
        int eol = indexOf(input, (byte) '\n');
        String line = new String(input, 0, eol < 0 ? input.length : eol, StandardCharsets.UTF_8);
        byte[] body = eol < 0 ? new byte[0] : Arrays.copyOfRange(input, eol + 1, input.length);
        String[] words = line.split(" ", 3);
        String method = words[0];
        String target = words.length > 1 ? words[1] : "/";
        boolean write = !(words.length > 2 && words[2].equals("ro"));
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);

        ApiHandler handler = new ApiHandler(freshState(), new MutableClock(1_700_000_000_000L), BODY_LIMIT);
        ApiResponse response = handler.handle(new ApiRequest(method, path, query, body, REQUEST_ID, write));
        check(response, line);

        ApiResponse after = handler.handle(new ApiRequest("GET", "/9/http/keyvals/", null, new byte[0], REQUEST_ID, true));
        assertThat(after.status()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).isObject()).isTrue();
    }

    private static void check(ApiResponse response, String line) throws IOException {
        int status = response.status();
        assertThat(status / 100 == 2 || status / 100 == 4)
                .as("%s answered %d: %s", line, status, new String(response.body(), StandardCharsets.UTF_8)).isTrue();
        if (status < 400) {
            if (response.body().length > 0) {
                assertThat(response.headers()).containsEntry("Content-Type", ApiResponse.JSON);
                JSON.readTree(response.body());
            }
            return;
        }
        assertThat(response.headers()).containsEntry("Content-Type", ApiResponse.JSON);
        JsonNode envelope = JSON.readTree(response.body());
        Set<String> fields = Set.copyOf(names(envelope));
        assertThat(fields).as("envelope %s", envelope).containsAll(List.of("error", "request_id", "href"));
        assertThat(Set.of("error", "request_id", "href", "path", "method")).containsAll(fields);
        JsonNode error = envelope.get("error");
        assertThat(names(error)).containsExactlyInAnyOrder("status", "text", "code");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("text").asText()).isNotBlank();
        assertThat(error.get("code").asText()).matches("[A-Za-z]+");
        assertThat(envelope.get("request_id").asText()).isEqualTo(REQUEST_ID);
        assertThat(envelope.get("href").asText()).isEqualTo(ApiHandler.HREF);
    }

    private static List<String> names(JsonNode node) {
        assertThat(node.isObject()).as("not an object: %s", node).isTrue();
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static ApiState freshState() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        TestStamps stamps = new TestStamps(clock, 1);
        KeyvalZone one = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 60_000, true, clock, stamps);
        KeyvalZone ips = new KeyvalZone("ips", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps);
        KeyvalZone prefixes = new KeyvalZone("prefixes", KeyvalZone.MIN_SIZE, KeyvalType.PREFIX, 0, false, clock,
                stamps);
        KeyvalZone stream = new KeyvalZone("stream", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, true, clock, stamps);
        new ApiHandler(stateOf(Map.of("one", one), Map.of(), Map.of(), Map.of()))
                .handle(new ApiRequest("POST", "/9/http/keyvals/one", null,
                        "{\"there\":\"before\"}".getBytes(StandardCharsets.UTF_8), REQUEST_ID, true));
        LimitReqZone perip = new LimitReqZone("perip", LimitReqZone.MIN_SIZE, "$binary_remote_addr", 1000, () -> 0L);
        UpstreamGroup backend = new UpstreamGroup(new UpstreamSpec("backend", List.of(
                new ServerSpec("10.0.0.1:80", new InetSocketAddress("10.0.0.1", 80), 1, 1, 10_000, 0, false,
                        false, null, null)), new Balancing.RoundRobin(), 8, 60_000, 1000, "backend", null, null), clock);
        return stateOf(Map.of("one", one, "ips", ips, "prefixes", prefixes), Map.of("stream", stream),
                Map.of("perip", perip), Map.of("backend", backend));
    }

    private static ApiState stateOf(Map<String, KeyvalZone> http, Map<String, KeyvalZone> stream,
            Map<String, LimitReqZone> limitReqs, Map<String, UpstreamGroup> upstreams) {
        return new TestApiState() {
            @Override
            public Map<String, KeyvalZone> httpKeyvalZones() {
                return http;
            }

            @Override
            public Map<String, KeyvalZone> streamKeyvalZones() {
                return stream;
            }

            @Override
            public Map<String, LimitReqZone> httpLimitReqZones() {
                return limitReqs;
            }

            @Override
            public Map<String, UpstreamGroup> httpUpstreams() {
                return upstreams;
            }

            @Override
            public Object streamZoneSync() {
                return Map.of("zones", Map.of(), "status", Map.of("nodes_online", 0, "msgs_in", 0, "msgs_out", 0,
                        "bytes_in", 0, "bytes_out", 0));
            }
        };
    }
}
