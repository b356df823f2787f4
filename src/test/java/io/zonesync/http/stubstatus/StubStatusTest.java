package io.zonesync.http.stubstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.config.ConfigException;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StubStatusTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:0;
                    location = /status { stub_status; }
                    location = /vars { return 200 "$connections_active $connections_reading $connections_writing $connections_waiting"; }
                    location / { return 200 "x"; }
                }
            }
            """;

    @TempDir
    Path dir;
    private HttpRuntime runtime;
    private final ConnectionLimit limit = ConnectionLimit.unlimited();

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
        }
    }

    private int start(String config) throws Exception {
        HttpConfig c = TestConfigs.compile(config, dir, List.of(new StubStatusFeature(limit.stats())),
                new StubStatusModule());
        runtime = HttpRuntime.start(c, Transport.create(1, "stub-status-test"), true, Clock.systemUTC(), limit);
        return runtime.boundPort("127.0.0.1:0");
    }

    @Test
    void pageCountsConnectionsByWhatTheyAreDoing() throws Exception {
        int port = start(CONFIG);
        try (RawClient idle = new RawClient(port);
                RawClient reading = new RawClient(port);
                RawClient keptAlive = new RawClient(port)) {
            keptAlive.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(keptAlive.read().body()).isEqualTo("x");
            reading.send("GET / HTTP/1.1\r\nHost: a\r\n");
            ConnectionStats stats = limit.stats();
            await().until(() -> stats.snapshot().active() == 3 && stats.snapshot().reading() == 1
                    && stats.snapshot().writing() == 0);
            try (RawClient asking = new RawClient(port)) {
                RawClient.Response r = asking.send("GET /status HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("content-type")).isEqualTo("text/plain");
                assertThat(r.body()).isEqualTo("""
                        Active connections: 4 \n\
                        server accepts handled requests
                         4 4 2 \n\
                        Reading: 1 Writing: 1 Waiting: 2 \n\
                        """);
                assertThat(asking.send("GET /vars HTTP/1.1\r\nHost: a\r\n\r\n").read().body()).isEqualTo("4 1 1 2");
            }
            reading.send("\r\n");
            assertThat(reading.read().body()).isEqualTo("x");
            await().until(() -> stats.snapshot().reading() == 0 && stats.snapshot().requests() == 4
                    && stats.snapshot().writing() == 0);
        }
        await().until(() -> limit.stats().snapshot().active() == 0);
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        int port = start(CONFIG);
        try (RawClient c = new RawClient(port)) {
            assertThat(c.send("POST /status HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab").read().status())
                    .isEqualTo(405);
            RawClient.Response head = c.send("HEAD /status HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void refusedConnectionsAreAcceptedButNotHandled() {
        ConnectionStats stats = new ConnectionStats();
        stats.dropped(new EmbeddedChannel());
        assertThat(stats.snapshot()).isEqualTo(new ConnectionStats.Snapshot(1, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void onlyServersAndLocationsTakeIt() {
        assertThatThrownBy(() -> TestConfigs.compile("http { stub_status; server { listen 127.0.0.1:0; } }", dir,
                List.of(new StubStatusFeature(limit.stats())), new StubStatusModule()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"stub_status\" directive is not allowed here in t.conf:1");
    }
}
