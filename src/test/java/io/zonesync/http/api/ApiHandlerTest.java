package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.keyval.KeyvalStateFile;
import io.zonesync.keyval.KeyvalType;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.testing.MutableClock;
import io.zonesync.keyval.TestStamps;
import io.zonesync.testing.TestApiState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and every error path; every response is validated against doc/api/openapi.yaml. */
class ApiHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;

    private final MutableClock clock = new MutableClock(T0);
    private final TestStamps stamps = new TestStamps(clock, 1);
    private final Map<String, KeyvalZone> http = new LinkedHashMap<>();
    private final Map<String, KeyvalZone> stream = new LinkedHashMap<>();
    private Object zoneSync;
    private final ConnectionStats connections = new ConnectionStats();
    private final StatusZones statusZones = new StatusZones();
    private final ResolverZones resolvers = new ResolverZones();
    private ApiHandler handler;

    private final ApiState state = new TestApiState() {
        @Override
        public Map<String, KeyvalZone> httpKeyvalZones() {
            return http;
        }

        @Override
        public Map<String, KeyvalZone> streamKeyvalZones() {
            return stream;
        }

        @Override
        public NginxInfo nginx() {
            return new NginxInfo("1.27.2", "zonesync-0.1.0", 3, Instant.ofEpochMilli(T0 - 5000), 42, 41);
        }

        @Override
        public Object streamZoneSync() {
            return zoneSync;
        }

        @Override
        public ConnectionStats connections() {
            return connections;
        }

        @Override
        public StatusZones statusZones() {
            return statusZones;
        }

        @Override
        public Map<String, Map<String, Object>> streamServerZones() {
            return Map.of();
        }

        @Override
        public ResolverZones resolvers() {
            return resolvers;
        }
    };

    @BeforeEach
    void setUp() {
        http.put("one", new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, false, clock, stamps));
        http.put("timed", new KeyvalZone("timed", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 60_000, true, clock, stamps));
        http.put("ips", new KeyvalZone("ips", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps));
        stream.put("s", new KeyvalZone("s", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, false, clock, stamps));
        handler = new ApiHandler(state, clock, 1024);
    }

    private ApiResponse call(String method, String path, String query, String body, boolean write) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return call(new ApiRequest(method, path, query, bytes, "0123456789abcdef0123456789abcdef", write, 0,
                "127.0.0.1"));
    }

    private ApiResponse call(ApiRequest request) {
        ApiResponse r = handler.handle(request);
        ApiSpec.check(request.method(), request.path(), r);
        return r;
    }

    private ApiResponse get(String path) {
        return call("GET", path, null, null, false);
    }

    private ApiResponse write(String method, String path, String body) {
        return call(method, path, null, body, true);
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        return JSON.readTree(r.body());
    }

    private static String text(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Asserts an error answer: status, code, the text (or its start), and the v4+ envelope. */
    private static void assertError(ApiResponse r, int status, String code, String textStart) throws Exception {
        JsonNode n = json(r);
        assertThat(r.status()).as(text(r)).isEqualTo(status);
        assertThat(n.path("error").path("status").asInt()).isEqualTo(status);
        assertThat(n.path("error").path("code").asText()).isEqualTo(code);
        assertThat(n.path("error").path("text").asText()).startsWith(textStart);
        assertThat(n.path("request_id").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(n.path("href").asText()).isEqualTo("https://nginx.org/en/docs/http/ngx_http_api_module.html");
    }

    // ---------------------------------------------------------------- read endpoints

    @Test
    void versionsAndEndpoints() throws Exception {
        assertThat(text(get("/"))).isEqualTo("[1,2,3,4,5,6,7,8,9]");
        assertThat(text(get(""))).isEqualTo("[1,2,3,4,5,6,7,8,9]");
        assertThat(text(get("/9/"))).isEqualTo(
                "[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"resolvers\",\"ssl\",\"workers\"]");
        assertThat(text(get("/9"))).isEqualTo(
                "[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"resolvers\",\"ssl\",\"workers\"]");
        assertThat(text(get("/8/")))
                .isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"resolvers\",\"ssl\"]");
        assertThat(text(get("/4/"))).isEqualTo("[\"nginx\",\"processes\",\"connections\",\"http\",\"stream\",\"ssl\"]");
        assertThat(text(get("/9/http/")))
                .isEqualTo("[\"requests\",\"server_zones\",\"location_zones\",\"limit_reqs\",\"keyvals\"]");
        assertThat(text(get("/9/stream/"))).isEqualTo("[\"server_zones\",\"keyvals\"]");
        assertThat(text(get("/1/stream/"))).isEqualTo("[\"server_zones\"]");
        zoneSync = Map.of("zones", Map.of(), "status", Map.of("bytes_in", 0, "msgs_in", 0, "msgs_out", 0,
                "bytes_out", 0, "nodes_online", 0));
        assertThat(text(get("/9/stream/"))).isEqualTo("[\"server_zones\",\"keyvals\",\"zone_sync\"]");
        assertThat(text(get("/2/stream/"))).isEqualTo("[\"server_zones\",\"keyvals\"]");
        assertThat(json(get("/9/stream/zone_sync/")).path("status").path("nodes_online").asInt()).isZero();
    }

    @Test
    void theOpenApiDocumentIsServedAsTheRepositoryHoldsIt() throws Exception {
        ApiResponse r = get("/openapi.yaml");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/yaml");
        assertThat(r.body()).isEqualTo(Files.readAllBytes(ApiSpec.FILE));
        assertThat(call("HEAD", "/openapi.yaml", null, null, false).status()).isEqualTo(200);
        assertError(write("POST", "/openapi.yaml", "{}"), 405, "MethodNotSupported", "method not supported");
        assertError(call("PUT", "/openapi.yaml", null, "{}", false), 405, "MethodDisabled", "method disabled");
        assertError(get("/9/openapi.yaml"), 404, "PathNotFound", "path not found");
    }

    @Test
    void everyPathTheDocumentListsIsServed() throws Exception {
        zoneSync = Map.of("zones", Map.of(), "status", Map.of("bytes_in", 0, "msgs_in", 0, "msgs_out", 0,
                "bytes_out", 0, "nodes_online", 0));
        assertThat(ApiSpec.paths()).contains("/", "/{version}/http/keyvals/{httpKeyvalZoneName}");
        for (String documented : ApiSpec.paths()) {
            String path = documented.replace("{version}", "9").replaceAll("\\{[^}]+}", "nope");
            ApiResponse r = get(path);
            String code = r.status() == 200 ? "" : json(r).path("error").path("code").asText();
            assertThat(code).as(path).isNotIn("PathNotFound", "UnknownVersion");
        }
    }

    @Test
    void zoneSyncNotConfiguredIsPathNotFound() throws Exception {
        assertError(get("/9/stream/zone_sync/"), 404, "PathNotFound", "path not found");
    }

    @Test
    void nginxObject() throws Exception {
        JsonNode n = json(get("/9/nginx"));
        assertThat(n.path("version").asText()).isEqualTo("1.27.2");
        assertThat(n.path("build").asText()).isEqualTo("zonesync-0.1.0");
        assertThat(n.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(n.path("generation").asInt()).isEqualTo(3);
        assertThat(n.path("load_timestamp").asText()).isEqualTo("2023-11-14T22:13:15.000Z");
        assertThat(n.path("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(n.path("pid").asInt()).isEqualTo(42);
        assertThat(n.path("ppid").asInt()).isEqualTo(41);
        ApiResponse some = call("GET", "/9/nginx", "fields=version,pid", null, false);
        assertThat(text(some)).isEqualTo("{\"version\":\"1.27.2\",\"pid\":42}");
    }

    @Test
    void getZonesAndKeys() throws Exception {
        http.get("one").set("b", "2");
        http.get("one").set("a", "1");
        stream.get("s").set("x", "y");
        assertThat(text(get("/9/http/keyvals/one"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(text(get("/9/http/keyvals/one/"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(text(get("/9/http/keyvals/"))).isEqualTo("{\"ips\":{},\"one\":{\"a\":\"1\",\"b\":\"2\"},\"timed\":{}}");
        assertThat(text(call("GET", "/9/http/keyvals/", "fields=", null, false)))
                .isEqualTo("{\"ips\":{},\"one\":{},\"timed\":{}}");
        assertThat(text(call("GET", "/9/http/keyvals/one", "key=a", null, false))).isEqualTo("{\"a\":\"1\"}");
        assertThat(text(get("/9/stream/keyvals/"))).isEqualTo("{\"s\":{\"x\":\"y\"}}");
        assertThat(text(get("/9/stream/keyvals/s"))).isEqualTo("{\"x\":\"y\"}");
        assertThat(text(get("/2/stream/keyvals/s"))).isEqualTo("{\"x\":\"y\"}");
        assertThat(text(get("/1/http/keyvals/one"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(call("HEAD", "/9/http/keyvals/one", null, null, false).status()).isEqualTo(200);
    }

    @Test
    void percentEncodedKeysAndZoneNames() throws Exception {
        http.get("one").set("a b/c+d", "v");
        http.put("z one", new KeyvalZone("z one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, false, clock, stamps));
        assertThat(text(call("GET", "/9/http/keyvals/one", "key=a%20b%2Fc+d", null, false)))
                .isEqualTo("{\"a b/c+d\":\"v\"}");
        assertThat(get("/9/http/keyvals/z%20one").status()).isEqualTo(200);
    }

    @Test
    void getErrors() throws Exception {
        assertError(get("/9/http/keyvals/nope"), 404, "KeyvalNotFound", "keyval \"nope\" not found");
        assertError(get("/9/stream/keyvals/one"), 404, "KeyvalNotFound", "keyval \"one\" not found");
        assertError(call("GET", "/9/http/keyvals/one", "key=missing", null, false), 404, "KeyvalKeyNotFound",
                "key \"missing\" not found in keyval \"one\"");
        assertError(get("/10/"), 404, "UnknownVersion", "unknown version");
        assertError(get("/0/nginx"), 404, "UnknownVersion", "unknown version");
        assertError(get("/v9/"), 404, "UnknownVersion", "unknown version");
        assertError(get("/9/foo"), 404, "PathNotFound", "path not found");
        assertError(get("/9/http/slabs/"), 404, "PathNotFound", "path not found");
        assertError(get("/9/http/keyvals/one/extra"), 404, "PathNotFound", "path not found");
        assertError(get("/9/nginx/version"), 404, "PathNotFound", "path not found");
        assertError(get("/1/stream/keyvals/"), 404, "PathNotFound", "path not found");
    }

    @Test
    void oldVersionsCarryEmptyPathAndMethod() throws Exception {
        for (String v : new String[] {"1", "2", "3"}) {
            JsonNode n = json(get("/" + v + "/http/keyvals/nope"));
            assertThat(n.path("path").isTextual()).isTrue();
            assertThat(n.path("path").asText()).isEmpty();
            assertThat(n.path("method").asText()).isEmpty();
            assertThat(n.path("error").path("code").asText()).isEqualTo("KeyvalNotFound");
        }
        JsonNode v4 = json(get("/4/http/keyvals/nope"));
        assertThat(v4.has("path")).isFalse();
        assertThat(v4.has("method")).isFalse();
    }

    // ---------------------------------------------------------------- POST

    @Test
    void postAddsOnePairOrSeveralIntoAnEmptyZone() throws Exception {
        ApiResponse r = write("POST", "/9/http/keyvals/one", "{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).isEmpty();
        assertThat(write("POST", "/9/http/keyvals/one", "{\"c\":\"3\"}").status()).isEqualTo(201);
        assertError(write("POST", "/9/http/keyvals/one", "{\"d\":\"4\",\"e\":\"5\"}"), 400, "KeyvalFormatError",
                "only one key can be added");
        assertError(write("POST", "/9/http/keyvals/one", "{\"a\":\"x\"}"), 409, "KeyvalKeyExists",
                "key \"a\" already exists");
        assertThat(text(get("/9/http/keyvals/one"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}");
        assertThat(write("POST", "/9/stream/keyvals/s", "{\"k\":\"v\"}").status()).isEqualTo(201);
        assertThat(stream.get("s").get("k")).isEqualTo("v");
    }

    @Test
    void postNumberIsStoredAsItsText() throws Exception {
        assertThat(write("POST", "/9/http/keyvals/one", "{\"n\":1,\"f\":2.50}").status()).isEqualTo(201);
        assertThat(text(get("/9/http/keyvals/one"))).isEqualTo("{\"f\":\"2.50\",\"n\":\"1\"}");
    }

    @Test
    void postWithExpire() throws Exception {
        assertThat(write("POST", "/9/http/keyvals/timed", "{\"k\":{\"value\":\"v\",\"expire\":1000}}").status())
                .isEqualTo(201);
        assertThat(http.get("timed").pairs().get(0).expireAtMs()).isEqualTo(T0 + 1000);
        clock.advance(1000);
        assertError(call("GET", "/9/http/keyvals/timed", "key=k", null, false), 404, "KeyvalKeyNotFound", "key");
        assertError(write("POST", "/9/http/keyvals/one", "{\"k\":{\"value\":\"v\",\"expire\":1000}}"), 400,
                "KeyvalFormatError", "keyval timeout is not enabled");
        assertError(write("POST", "/4/http/keyvals/timed", "{\"k\":{\"value\":\"v\",\"expire\":1000}}"), 400,
                "KeyvalFormatError", "nested object or list");
        assertThat(write("POST", "/5/http/keyvals/timed", "{\"k5\":{\"value\":\"v\"}}").status()).isEqualTo(201);
    }

    @Test
    void postFormatErrors() throws Exception {
        String zone = "/9/http/keyvals/one";
        assertError(write("POST", zone, "[\"a\"]"), 400, "KeyvalFormatError", "invalid JSON: the body must be a JSON object");
        assertError(write("POST", zone, "\"a\""), 400, "KeyvalFormatError", "invalid JSON");
        assertError(write("POST", zone, "{}"), 400, "KeyvalFormatError", "key required");
        assertError(write("POST", zone, "{\"\":\"v\"}"), 400, "KeyvalFormatError", "key required");
        assertError(write("POST", zone, "{\"a\":true}"), 400, "KeyvalFormatError",
                "invalid value a boolean for key \"a\"");
        assertError(write("POST", zone, "{\"a\":null}"), 400, "KeyvalFormatError", "invalid value null for key \"a\"");
        assertError(write("POST", zone, "{\"a\":[1]}"), 400, "KeyvalFormatError", "nested object or list");
        assertError(write("POST", "/9/http/keyvals/timed", "{\"a\":{\"value\":\"v\",\"ttl\":5}}"), 400,
                "KeyvalFormatError", "unknown parameter \"ttl\" for key \"a\"");
        assertError(write("POST", "/9/http/keyvals/timed", "{\"a\":{\"expire\":5}}"), 400, "KeyvalFormatError",
                "key \"a\" has no \"value\"");
        assertError(write("POST", "/9/http/keyvals/timed", "{\"a\":{\"value\":\"v\",\"expire\":-1}}"), 400,
                "KeyvalFormatError", "invalid \"expire\" -1 for key \"a\"");
        assertError(write("POST", "/9/http/keyvals/timed", "{\"a\":{\"value\":\"v\",\"expire\":\"5\"}}"), 400,
                "KeyvalFormatError", "invalid \"expire\" a string");
        assertError(write("POST", "/9/http/keyvals/timed", "{\"a\":{\"value\":{},\"expire\":5}}"), 400,
                "KeyvalFormatError", "invalid \"value\" an object");
        assertError(write("POST", "/9/http/keyvals/ips", "{\"not-an-ip\":\"v\"}"), 400, "KeyvalFormatError",
                "invalid key format \"not-an-ip\"");
        assertThat(http.values()).allSatisfy(z -> assertThat(z.isEmpty()).isTrue());
    }

    @Test
    void postJsonErrors() throws Exception {
        String zone = "/9/http/keyvals/one";
        assertError(write("POST", zone, "{\"a\":"), 415, "JsonError", "invalid JSON at offset");
        assertError(write("POST", zone, "{a:1}"), 415, "JsonError", "invalid JSON at offset 1");
        assertError(write("POST", zone, ""), 415, "JsonError", "the request body is empty");
        assertError(write("POST", zone, "{\"a\":\"1\",\"a\":\"2\"}"), 415, "JsonError", "invalid JSON at offset");
        assertError(write("POST", zone, "{\"a\":\"1\"} x"), 415, "JsonError", "invalid JSON");
        assertError(write("POST", zone, "{\"a\":\"1\"}{}"), 415, "JsonError", "invalid JSON: unexpected data");
        ApiResponse badUtf8 = call(new ApiRequest("POST", zone, null, new byte[] {'{', '"', (byte) 0xC3, '"', ':',
            '"', 'v', '"', '}'}, "0123456789abcdef0123456789abcdef", true));
        assertError(badUtf8, 415, "JsonError", "invalid JSON");
        assertThat(http.get("one").isEmpty()).isTrue();
    }

    @Test
    void bodyErrors() throws Exception {
        ApiResponse failed = call(new ApiRequest("POST", "/9/http/keyvals/one", null, null,
                "0123456789abcdef0123456789abcdef", true));
        assertError(failed, 400, "BodyReadError", "reading request body failed");
        String big = "{\"k\":\"" + "x".repeat(1100) + "\"}";
        assertError(write("POST", "/9/http/keyvals/one", big), 413, "RequestEntityTooLarge",
                "request body is too large: 1108 bytes, the limit is 1024 bytes");
        assertError(write("PATCH", "/9/http/keyvals/one", big), 413, "RequestEntityTooLarge", "request body");
        assertThat(http.get("one").isEmpty()).isTrue();
    }

    @Test
    void pairsBeyondTheZoneBudgetAreRefusedAndNothingIsHarmed() throws Exception {
        handler = new ApiHandler(state, clock, 64 * 1024);
        KeyvalZone one = http.get("one");
        for (int i = 0; i < 29; i++) {
            one.set("k" + i, "v".repeat(1000));
        }
        String before = text(get("/9/http/keyvals/one"));
        assertError(write("POST", "/9/http/keyvals/one", "{\"new\":\"" + "x".repeat(5000) + "\"}"), 413,
                "KeyvalZoneFull", "zone \"one\" of 32768 bytes is full: key \"new\" needs 5067 bytes");
        assertError(write("PATCH", "/9/http/keyvals/one", "{\"k0\":\"" + "x".repeat(5000) + "\"}"), 413,
                "KeyvalZoneFull", "zone \"one\" of 32768 bytes is full: key \"k0\"");
        assertThat(text(get("/9/http/keyvals/one"))).isEqualTo(before);
    }

    // ---------------------------------------------------------------- PATCH and DELETE

    @Test
    void patchChangesDeletesAndSetsExpire() throws Exception {
        write("POST", "/9/http/keyvals/timed", "{\"a\":\"1\",\"b\":\"2\"}");
        ApiResponse r = write("PATCH", "/9/http/keyvals/timed", "{\"a\":\"one\"}");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(write("PATCH", "/9/http/keyvals/timed", "{\"b\":null}").status()).isEqualTo(204);
        assertThat(text(get("/9/http/keyvals/timed"))).isEqualTo("{\"a\":\"one\"}");
        assertThat(write("PATCH", "/9/http/keyvals/timed", "{\"a\":{\"expire\":500}}").status()).isEqualTo(204);
        assertThat(http.get("timed").get("a")).isEqualTo("one");
        assertThat(write("PATCH", "/9/http/keyvals/timed", "{\"a\":{\"value\":\"uno\",\"expire\":700}}").status())
                .isEqualTo(204);
        assertThat(http.get("timed").pairs().get(0).expireAtMs()).isEqualTo(T0 + 700);
    }

    @Test
    void patchErrors() throws Exception {
        http.get("one").set("a", "1");
        assertError(write("PATCH", "/9/http/keyvals/one", "{\"missing\":\"v\"}"), 404, "KeyvalKeyNotFound",
                "key \"missing\" not found");
        assertError(write("PATCH", "/9/http/keyvals/one", "{\"missing\":null}"), 404, "KeyvalKeyNotFound", "key");
        assertError(write("PATCH", "/9/http/keyvals/one", "{\"a\":\"2\",\"b\":\"3\"}"), 400, "KeyvalFormatError",
                "only one key can be updated");
        assertError(write("PATCH", "/9/http/keyvals/one", "{\"a\":{\"value\":\"2\",\"expire\":10}}"), 400,
                "KeyvalFormatError", "keyval timeout is not enabled");
        assertError(write("PATCH", "/9/http/keyvals/one", "{}"), 400, "KeyvalFormatError", "key required");
        assertError(write("PATCH", "/9/http/keyvals/one", "nope"), 415, "JsonError", "invalid JSON");
        assertError(write("PATCH", "/9/http/keyvals/nope", "{\"a\":\"1\"}"), 404, "KeyvalNotFound", "keyval");
        assertThat(http.get("one").get("a")).isEqualTo("1");
    }

    @Test
    void deleteEmptiesTheZone() throws Exception {
        write("POST", "/9/http/keyvals/one", "{\"a\":\"1\",\"b\":\"2\"}");
        ApiResponse r = write("DELETE", "/9/http/keyvals/one", null);
        assertThat(r.status()).isEqualTo(204);
        assertThat(text(get("/9/http/keyvals/one"))).isEqualTo("{}");
        assertError(write("DELETE", "/9/http/keyvals/nope", null), 404, "KeyvalNotFound", "keyval");
        assertThat(write("DELETE", "/9/stream/keyvals/s", null).status()).isEqualTo(204);
    }

    // ---------------------------------------------------------------- methods

    @Test
    void writesWithoutWriteOnAreDisabled() throws Exception {
        http.get("one").set("a", "1");
        for (String method : new String[] {"POST", "PATCH", "DELETE"}) {
            ApiResponse r = call(method, "/9/http/keyvals/one", null, "{\"a\":null}", false);
            assertError(r, 405, "MethodDisabled", "method disabled");
        }
        assertThat(http.get("one").get("a")).isEqualTo("1");
        assertError(call("POST", "/9/nginx", null, "{}", false), 405, "MethodDisabled", "method disabled");
    }

    @Test
    void methodsAnEndpointDoesNotTakeAreNotSupported() throws Exception {
        assertError(write("PUT", "/9/http/keyvals/one", "{}"), 405, "MethodNotSupported", "method not supported");
        assertError(write("POST", "/9/nginx", "{}"), 405, "MethodNotSupported", "method not supported");
        assertError(write("DELETE", "/9/http/keyvals/", null), 405, "MethodNotSupported", "method not supported");
        assertError(write("POST", "/", null), 405, "MethodNotSupported", "method not supported");
    }

    @Test
    void requestIdIsEchoedAndMayBeMissing() throws Exception {
        ApiResponse r = call(new ApiRequest("GET", "/9/http/keyvals/nope", null, null, null, false));
        assertThat(json(r).path("request_id").asText()).isEmpty();
    }

    @Test
    void onlyWritesToKeyvalZonesWithoutAStateFileMayBeHandledOnTheEventLoop(@TempDir Path dir) throws Exception {
        KeyvalZone kept = new KeyvalZone("kept", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, false, clock, stamps);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (KeyvalStateFile file = KeyvalStateFile.open(kept, dir.resolve("kept.keyval"), executor)) {
            http.put("kept", kept);
            String body = "{\"k\":\"v\"}";
            for (String method : new String[] {"POST", "PATCH", "DELETE"}) {
                assertThat(handler.mayBlock(request(method, "/9/http/keyvals/one", body, true))).as(method).isFalse();
                assertThat(handler.mayBlock(request(method, "/2/stream/keyvals/s", body, true))).as(method).isFalse();
                assertThat(handler.mayBlock(request(method, "/9/http/keyvals/kept", body, true))).as(method).isTrue();
            }
            // reads, disabled writes, unknown zones and versions, other endpoints: as before, off the loop
            assertThat(handler.mayBlock(request("GET", "/9/http/keyvals/one", null, true))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/9/http/keyvals/one", body, false))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/9/http/keyvals/nope", body, true))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/1/stream/keyvals/s", body, true))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/99/http/keyvals/one", body, true))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/9/http/upstreams/u/servers/0", body, true))).isTrue();
            assertThat(handler.mayBlock(request("PATCH", "/9/http/keyvals/one/x", body, true))).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    private static ApiRequest request(String method, String path, String body, boolean write) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return new ApiRequest(method, path, null, bytes, "0123456789abcdef0123456789abcdef", write);
    }
}
