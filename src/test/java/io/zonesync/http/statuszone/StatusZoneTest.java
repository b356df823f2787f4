package io.zonesync.http.statuszone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusZoneTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:0;
                    server_name one;
                    status_zone front;
                    location / { return 200 "ok"; }
                    location /api/ {
                        status_zone api;
                        location /api/private/ { status_zone off; return 403; }
                        location /api/v1/ { return 200 "v1"; }
                    }
                    location /drop { return 444; }
                    location /moved { error_page 404 = /api/v1/fallback; return 404; }
                }
                server {
                    listen 127.0.0.1:0;
                    server_name two;
                    status_zone front;
                    location / { return 404; }
                }
                server {
                    listen 127.0.0.1:0;
                    server_name uncounted;
                    location / { return 200; }
                }
            }
            """;

    @TempDir
    Path dir;
    private HttpRuntime runtime;
    private final StatusZones zones = new StatusZones();

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
        }
    }

    private int start(String config) throws Exception {
        StatusZoneFeature feature = new StatusZoneFeature(zones);
        HttpConfig c = TestConfigs.compile(config, dir, List.of(feature), new StatusZoneModule());
        zones.inForce(feature.named());
        runtime = HttpRuntime.start(c);
        return runtime.boundPort("127.0.0.1:0");
    }

    private static String get(String path, String host) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    @Test
    void serversAndLocationsCountTheRequestsThatEndInThem() throws Exception {
        start(CONFIG);
        int port = runtime.boundPort("127.0.0.1:0");
        try (RawClient c = new RawClient(port)) {
            assertThat(c.send(get("/", "one")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/api/v1/x", "one")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/api/private/x", "one")).read().status()).isEqualTo(403);
            assertThat(c.send(get("/api/other", "one")).read().status()).isEqualTo(404);
            assertThat(c.send(get("/moved", "one")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/", "two")).read().status()).isEqualTo(404);
            assertThat(c.send(get("/", "uncounted")).read().status()).isEqualTo(200);
        }
        try (RawClient c = new RawClient(port)) {
            c.send(get("/drop", "one"));
            assertThat(c.closedByServer()).isTrue();
        }
        await().until(() -> zones.serverZone("front").orElseThrow().requests() == 7
                && zones.serverZone("front").orElseThrow().processing() == 0);
        ZoneCounters.Report front = zones.serverZone("front").orElseThrow();
        assertThat(front.discarded()).isEqualTo(1);
        assertThat(front.responses().successful()).isEqualTo(3);
        assertThat(front.responses().clientError()).isEqualTo(3);
        assertThat(front.responses().total()).isEqualTo(6);
        assertThat(front.responses().codes()).isEqualTo(Map.of(200, 3L, 403, 1L, 404, 2L));
        assertThat(front.received()).isPositive();
        assertThat(front.sent()).isPositive();

        // /api/v1/x, /api/other and /moved (redirected into /api/v1/); /api/private/ is off
        ZoneCounters.Report api = zones.locationZone("api").orElseThrow();
        assertThat(api.requests()).isEqualTo(3);
        assertThat(api.processing()).isZero();
        assertThat(api.responses().codes()).isEqualTo(Map.of(200, 2L, 404, 1L));
        assertThat(zones.serverZone("uncounted")).isEmpty();
        assertThat(zones.locationZone("off")).isEmpty();
    }

    @Test
    void bytesAreWhatTheClientSentAndWasSent() throws Exception {
        int port = start("""
                http {
                    access_log off;
                    server { listen 127.0.0.1:0; status_zone s; location / { return 200 "0123456789"; } }
                }
                """);
        String request = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: abc\r\n\r\n";
        String response;
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send(request).read();
            response = r.body();
        }
        assertThat(response).isEqualTo("0123456789");
        await().until(() -> zones.serverZone("s").orElseThrow().processing() == 0
                && zones.serverZone("s").orElseThrow().requests() == 1);
        ZoneCounters.Report s = zones.serverZone("s").orElseThrow();
        assertThat(s.received()).isEqualTo(request.length());
        assertThat(s.sent()).isGreaterThan(10);
    }

    @Test
    void countersOutliveAReloadThatKeepsTheName() throws Exception {
        int port = start("""
                http { access_log off; server { listen 127.0.0.1:0; status_zone s; location / { return 200; } } }
                """);
        try (RawClient c = new RawClient(port)) {
            c.send(get("/", "a")).read();
        }
        runtime.apply(TestConfigs.compile("""
                http { access_log off; server { listen 127.0.0.1:0; status_zone s; location / { return 204; } } }
                """, dir, List.of(new StatusZoneFeature(zones)), new StatusZoneModule()));
        try (RawClient c = new RawClient(runtime.boundPort("127.0.0.1:0"))) {
            c.send(get("/", "a")).read();
        }
        await().until(() -> zones.serverZone("s").orElseThrow().requests() == 2
                && zones.serverZone("s").orElseThrow().processing() == 0);
        assertThat(zones.serverZone("s").orElseThrow().responses().codes()).isEqualTo(Map.of(200, 1L, 204, 1L));
    }

    @Test
    void inProgressRequestsAreProcessing() {
        ZoneCounters c = new ZoneCounters();
        c.started();
        c.started();
        assertThat(c.report().processing()).isEqualTo(2);
        c.ended(true, 200, 10, 20, true);
        assertThat(c.report().processing()).isEqualTo(1);
        assertThat(c.report().requests()).isEqualTo(2);
        c.ended(false, 499, 5, 0, true);
        assertThat(c.report()).isEqualTo(new ZoneCounters.Report(0, 2,
                new ZoneCounters.Responses(0, 1, 0, 0, 0, Map.of(200, 1L), 1), 1, 15, 20,
                new io.zonesync.net.HandshakeCounters().report()));
    }

    @Test
    void oneZoneNameAndNoHttpLevel() {
        assertThatThrownBy(() -> TestConfigs.compile("http { status_zone a; server { listen 127.0.0.1:0; } }", dir,
                List.of(new StatusZoneFeature(zones)), new StatusZoneModule()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"status_zone\" directive is not allowed here in t.conf:1");
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0; status_zone a b; } }", dir,
                List.of(new StatusZoneFeature(zones)), new StatusZoneModule()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid number of arguments in \"status_zone\" directive in t.conf:1");
    }
}
