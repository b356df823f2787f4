package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonesync.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadAndShutdownTest {
    @TempDir
    Path dir;
    private final TestFeature feature = new TestFeature();
    private HttpRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
        }
    }

    private HttpConfig config(String servers) throws ConfigException {
        return TestConfigs.compile("http { access_log off;\n" + servers + "\n}", dir, List.of(feature), feature);
    }

    private static RawClient.Response get(int port, String path) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
        }
    }

    @Test
    void reloadKeepsTheSocketSwapsRoutesAndLetsInFlightRequestsFinishOnTheOldConfig() throws Exception {
        runtime = HttpRuntime.start(config("server { listen 127.0.0.1:0; location / { return 200 one; }"
                + " location /slow { park old; } }"));
        int port = runtime.boundPort("127.0.0.1:0");
        assertThat(get(port, "/").body()).isEqualTo("one");

        try (RawClient inFlight = new RawClient(port); RawClient idle = new RawClient(port)) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().body()).isEqualTo("one");
            inFlight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpExchange parked = feature.parked.poll(5, TimeUnit.SECONDS);

            runtime.apply(config("server { listen 127.0.0.1:0; location / { return 200 two; } }"));
            assertThat(runtime.boundPort("127.0.0.1:0")).isEqualTo(port);
            assertThat(get(port, "/").body()).isEqualTo("two");
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().body()).isEqualTo("two");
            assertThat(get(port, "/slow").body()).isEqualTo("two");

            parked.respond(200, "text/plain", "answered by " + parked.attribute(TestFeature.ANSWER)
                    + " in " + parked.location().name());
            assertThat(inFlight.read().body()).isEqualTo("answered by old in /slow");
        }
    }

    @Test
    void reloadBindsNewAddressesAndClosesRemovedOnes() throws Exception {
        runtime = HttpRuntime.start(config("server { listen 127.0.0.1:0; return 200 a; }"));
        int a = runtime.boundPort("127.0.0.1:0");
        runtime.apply(config("server { listen 127.0.0.1:0; return 200 a; }\n"
                + "server { listen 127.0.0.2:0; return 200 b; }"));
        int b = runtime.boundPort("127.0.0.2:0");
        assertThat(b).isPositive();
        try (RawClient kept = new RawClient("127.0.0.2", b)) {
            RawClient.Response r = kept.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.body()).isEqualTo("b");
            runtime.apply(config("server { listen 127.0.0.1:0; return 200 a2; }"));
            assertThat(runtime.boundAddress("127.0.0.2:0")).isNull();
            assertThat(kept.closedByServer()).isTrue(); // idle connection of a removed listener
        }
        assertThatThrownBy(() -> new RawClient("127.0.0.2", b).close()).isInstanceOf(IOException.class);
        assertThat(get(a, "/").body()).isEqualTo("a2");
    }

    @Test
    void aReloadThatCannotBindLeavesTheOldConfigurationServing() throws Exception {
        runtime = HttpRuntime.start(config("server { listen 127.0.0.1:0; return 200 old; }"));
        int port = runtime.boundPort("127.0.0.1:0");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int busy = taken.getLocalPort();
            assertThatThrownBy(() -> runtime.apply(config("server { listen 127.0.0.1:0; return 200 new; }\n"
                    + "server { listen 127.0.0.1:" + busy + "; }")))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("bind() to 127.0.0.1:" + busy + " failed");
        }
        assertThat(get(port, "/").body()).isEqualTo("old");
        assertThat(runtime.boundAddresses()).containsOnlyKeys("127.0.0.1:0");
    }

    @Test
    void gracefulShutdownClosesIdleConnectionsAndFinishesRequestsInFlight() throws Exception {
        runtime = HttpRuntime.start(config("server { listen 127.0.0.1:0; location / { return 200 ok; }"
                + " location /slow { park x; } }"));
        int port = runtime.boundPort("127.0.0.1:0");
        try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port)) {
            idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpExchange parked = feature.parked.poll(5, TimeUnit.SECONDS);

            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(
                    () -> runtime.shutdownGracefully(Duration.ofSeconds(20)));
            assertThat(idle.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new RawClient(port).close()).isInstanceOf(IOException.class));
            assertThat(done).isNotDone();

            parked.respond(200, "text/plain", "finished");
            RawClient.Response r = busy.read();
            assertThat(r.body()).isEqualTo("finished");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void gracefulShutdownGivesUpOnRequestsThatOutliveTheBound() throws Exception {
        runtime = HttpRuntime.start(config("server { listen 127.0.0.1:0; location /slow { park x; } }"));
        int port = runtime.boundPort("127.0.0.1:0");
        try (RawClient busy = new RawClient(port)) {
            busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            feature.parked.poll(5, TimeUnit.SECONDS);
            assertThat(runtime.shutdownGracefully(Duration.ofMillis(200))).isFalse();
            assertThat(busy.closedByServer()).isTrue();
        }
    }
}
