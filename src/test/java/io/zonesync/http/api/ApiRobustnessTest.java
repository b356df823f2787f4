package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.keyval.KeyvalReplica;
import io.zonesync.keyval.KeyvalStateFile;
import io.zonesync.keyval.KeyvalType;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.testing.MutableClock;
import io.zonesync.keyval.TestStamps;
import io.zonesync.testing.TestApiState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiRobustnessTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestStamps stamps = new TestStamps(clock, 1);

    private ApiState state(Map<String, KeyvalZone> http) {
        return new TestApiState() {
            @Override
            public Map<String, KeyvalZone> httpKeyvalZones() {
                return http;
            }

            @Override
            public NginxInfo nginx() {
                return new NginxInfo("1.27.2", "zonesync", 0, Instant.EPOCH, 1, 1);
            }
        };
    }

    @Test
    void noInputThrowsAndEveryAnswerMatchesTheSpec() {
        KeyvalZone zone = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.IP, 5_000, true, clock, stamps);
        ApiHandler handler = new ApiHandler(state(Map.of("one", zone)), clock, 4096);
        Random random = new Random(42);
        String[] methods = {"GET", "HEAD", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "", "get"};
        String[] paths = {"/", "/9/", "/9/http/keyvals/one", "/9/http/keyvals/", "/5/http/keyvals/one", "/9/nginx",
            "//9//http//keyvals//one//", "/9/http/keyvals/%zz", "/9/http/keyvals/one%", "/99/", "/9/stream/keyvals/one",
            "/9/stream/zone_sync/", "/1/http/keyvals/one"};
        String[] queries = {null, "", "key=", "key=10.0.0.1", "key=%", "fields=", "fields", "&&=&", "key=%C3"};
        String[] bodies = {"{\"10.0.0.0/8\":\"a\"}", "{\"::1\":{\"value\":\"v\",\"expire\":99999999999999}}",
            "{\"x\":1e999}", "{\"1.2.3.4\":{\"value\":1.5e3}}", "[[[[[[", "{\"a\":{\"value\":\"v\",\"expire\":1.5}}",
            "{\"10.0.0.1\":null}", "null", "true", "{\"2001:db8::/129\":\"v\"}"};
        for (int i = 0; i < 3000; i++) {
            String method = methods[random.nextInt(methods.length)];
            String path = paths[random.nextInt(paths.length)];
            byte[] body;
            if (random.nextInt(4) == 0) {
                body = new byte[random.nextInt(64)];
                random.nextBytes(body);
            } else {
                body = bodies[random.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
            }
            ApiRequest request = new ApiRequest(method, path, queries[random.nextInt(queries.length)], body, "id",
                    random.nextBoolean());
            ApiResponse response = handler.handle(request);
            assertThat(response.status()).as(method + " " + path).isBetween(200, 499);
            if (response.status() >= 400) {
                ApiSpec.checkError(response);
            }
            if (method.equals("GET") || method.equals("POST") || method.equals("PATCH") || method.equals("DELETE")) {
                ApiSpec.check(method, path, response);
            }
        }
    }

    @Test
    void aWriteIsInTheStateFileBeforeItIsAnswered(@TempDir Path dir) throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            KeyvalZone zone = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, true, clock, stamps);
            Path file = dir.resolve("one.keyval");
            KeyvalStateFile.open(zone, file, executor);
            ApiHandler handler = new ApiHandler(state(Map.of("one", zone)));
            ApiResponse r = handler.handle(new ApiRequest("POST", "/9/http/keyvals/one", null,
                    "{\"durable\":\"yes\"}".getBytes(StandardCharsets.UTF_8), "id", true));
            assertThat(r.status()).isEqualTo(201);
            assertThat(onDisk(dir, file, executor).get("durable")).isEqualTo("yes");
            handler.handle(new ApiRequest("PATCH", "/9/http/keyvals/one", null,
                    "{\"durable\":null}".getBytes(StandardCharsets.UTF_8), "id", true));
            assertThat(new KeyvalReplica(onDisk(dir, file, executor)).export("durable").tombstone()).isTrue();
            handler.handle(new ApiRequest("POST", "/9/http/keyvals/one", null,
                    "{\"again\":\"1\"}".getBytes(StandardCharsets.UTF_8), "id", true));
            handler.handle(new ApiRequest("DELETE", "/9/http/keyvals/one", null, new byte[0], "id", true));
            assertThat(new KeyvalReplica(onDisk(dir, file, executor)).export("again").tombstone()).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    /** The zone a node killed now would load from {@code file}. */
    private KeyvalZone onDisk(Path dir, Path file, ScheduledExecutorService executor) throws Exception {
        Path copy = Files.copy(file, dir.resolve("copy-" + System.nanoTime()));
        KeyvalZone zone = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, 0, true, clock, stamps);
        KeyvalStateFile.open(zone, copy, executor).close();
        return zone;
    }
}
