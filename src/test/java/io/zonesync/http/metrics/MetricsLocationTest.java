package io.zonesync.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.api.ApiModule;
import io.zonesync.http.api.NginxInfo;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.Transport;
import io.zonesync.node.Node;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestApiState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics} directive: where it may stand, what it takes, and how its location answers. */
class MetricsLocationTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:0;
                    location = /metrics { metrics; }
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

    private MetricsFeature feature() {
        return new MetricsFeature(new NodeMetrics(new NoZones(), limit.stats(), new StatusZones(), Map::of, Clock.systemUTC()));
    }

    private HttpConfig compile(String config) throws Exception {
        return TestConfigs.compile(config, dir, List.of(feature()), new MetricsModule(), new ApiModule());
    }

    private int start(String config) throws Exception {
        runtime = HttpRuntime.start(compile(config), Transport.create(1, "metrics-test"), true, Clock.systemUTC(),
                limit);
        return runtime.boundPort("127.0.0.1:0");
    }

    @Test
    void getAnswersInPrometheusTextAndCountsTheRequestItself() throws Exception {
        int port = start(CONFIG);
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
            assertThat(r.body()).contains("\nnginxplus_http_requests_total 1.0\n")
                    .contains("\nnginxplus_connections_accepted 1.0\n");
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        int port = start(CONFIG);
        try (RawClient c = new RawClient(port)) {
            assertThat(c.send("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab").read().status())
                    .isEqualTo(405);
            RawClient.Response head = c.send("HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void onlyLocationsTakeIt() {
        assertThatThrownBy(() -> compile("http { server { listen 127.0.0.1:0; metrics; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"metrics\" directive is not allowed here in t.conf:1");
    }

    @Test
    void itTakesNoArgument() {
        assertThatThrownBy(() -> compile("http { server { listen 127.0.0.1:0; location / { metrics on; } } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid number of arguments in \"metrics\" directive in t.conf:1");
    }

    @Test
    void anotherContentDirectiveInTheSameLocationIsRefused() {
        assertThatThrownBy(() -> compile("""
                http {
                    server {
                        listen 127.0.0.1:0;
                        location / {
                            metrics; api;
                        }
                    }
                }
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"metrics\" and \"api\" cannot be in the same location in t.conf:5");
    }

    @Test
    void inANodeEveryOtherContentModuleIsSeenToo() throws Exception {
        // the node's module order, not this test's: metrics must run before proxy to see proxy_pass
        assertThatThrownBy(() -> Node.check(InJvmNode.parse(dir, """
                events { }
                http {
                    server {
                        listen 127.0.0.1:0;
                        location / { metrics; proxy_pass http://127.0.0.1:1; }
                    }
                }
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("\"metrics\" and \"proxy_pass\" cannot be in the same location in "
                        + dir.resolve("zonesync.conf") + ":5");
    }

    /** A node without zones, upstreams or zone_sync. */
    private static final class NoZones extends TestApiState {
        @Override
        public NginxInfo nginx() {
            throw new AssertionError("metrics do not read nginx info");
        }
    }
}
