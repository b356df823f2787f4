package io.zonesync.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.api.ApiModule;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.Transport;
import io.zonesync.node.Node;
import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard location: its page names the API it reads, its assets come from the jar, bad arguments are refused. */
class DashboardTest {
    @TempDir
    Path dir;
    private HttpRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
            runtime = null;
        }
    }

    private HttpConfig compile(String locations) throws Exception {
        return TestConfigs.compile("""
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:0;
                %s
                    }
                }
                """.formatted(locations), dir, List.of(new DashboardFeature()), new DashboardModule());
    }

    private RawClient.Response get(String locations, String request) throws Exception {
        runtime = HttpRuntime.start(compile(locations), Transport.create(1, "dashboard-test"), true,
                Clock.systemUTC(), ConnectionLimit.unlimited());
        try (RawClient c = new RawClient(runtime.boundPort("127.0.0.1:0"))) {
            return c.send(request + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
        }
    }

    @Test
    void pageReadsTheDefaultApiAndLoadsItsAssetsBesideItself() throws Exception {
        RawClient.Response r = get("location = /dashboard.html { dashboard; }", "GET /dashboard.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.body()).contains("data-api=\"/api/9\"", "src=\"?asset=uPlot.iife.min.js\"",
                "src=\"?asset=dashboard.js\"", "href=\"?asset=uPlot.min.css\"").doesNotContain("{{");
    }

    @Test
    void pageReadsTheApiTheDirectiveNames() throws Exception {
        RawClient.Response r = get("location /ops/ { dashboard /status-api/8; }", "GET /ops/");
        assertThat(r.body()).contains("data-api=\"/status-api/8\"");
    }

    @Test
    void uplotComesFromTheWebJar() throws Exception {
        RawClient.Response r = get("location = /d { dashboard; }", "GET /d?asset=uPlot.iife.min.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/javascript; charset=utf-8");
        assertThat(r.body().startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.30) */\nvar uPlot=")).as("uPlot's IIFE build").isTrue();
    }

    @Test
    void theScriptAndStylesAreServed() throws Exception {
        assertThat(get("location = /d { dashboard; }", "GET /d?asset=dashboard.js").body())
                .contains("document.body.dataset.api");
        stop();
        RawClient.Response css = get("location = /d { dashboard; }", "GET /d?asset=uPlot.min.css");
        assertThat(css.header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.body()).contains(".uplot");
    }

    @Test
    void anUnknownAssetIsNotFound() throws Exception {
        // only the listed files: not another resource of the class path, not another query
        for (String query : List.of("asset=META-INF/MANIFEST.MF", "asset=dashboard.html", "asset=", "v=1")) {
            assertThat(get("location = /d { dashboard; }", "GET /d?" + query).status()).as(query).isEqualTo(404);
            stop();
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        assertThat(get("location = /d { dashboard; }", "POST /d").status()).isEqualTo(405);
    }

    @Test
    void anApiUriThatIsNotAPathIsRefused() {
        assertThatThrownBy(() -> compile("location = /d { dashboard \"/api/9\\\"><script>\"; }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid API URI \"/api/9\"><script>\" in \"dashboard\"")
                .hasMessageEndingWith("in t.conf:5");
        assertThatThrownBy(() -> compile("location = /d { dashboard api/9; }"))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("in t.conf:5");
        for (String slash : List.of("/api/9/", "/")) {
            assertThatThrownBy(() -> compile("location = /d { dashboard " + slash + "; }"))
                    .isInstanceOf(ConfigException.class).hasMessageEndingWith("in t.conf:5");
        }
    }

    @Test
    void theDirectiveBelongsInALocation() {
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0; dashboard; } }", dir,
                List.of(new DashboardFeature()), new DashboardModule()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"dashboard\" directive is not allowed here in t.conf:1");
    }

    @Test
    void anotherContentDirectiveBesideItIsRefused() {
        assertThatThrownBy(() -> TestConfigs.compile("""
                http {
                    server {
                        listen 127.0.0.1:0;
                        location /api { api; dashboard; }
                    }
                }
                """, dir, List.of(new DashboardFeature()), new DashboardModule(), new ApiModule()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"dashboard\" and \"api\" cannot be in the same location in t.conf:4");
    }

    @Test
    void inANodeEveryOtherContentModuleIsSeenToo() throws Exception {
        // the node's module order, not this test's: dashboard must run before metrics, proxy and api
        for (String other : List.of("metrics", "proxy_pass http://127.0.0.1:1", "api", "stub_status")) {
            assertThatThrownBy(() -> Node.check(InJvmNode.parse(dir, """
                    events { }
                    http {
                        server {
                            listen 127.0.0.1:0;
                            location / { %s; dashboard; }
                        }
                    }
                    """.formatted(other))))
                    .as(other)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageEndingWith("\"dashboard\" and \"" + other.split(" ")[0]
                            + "\" cannot be in the same location in " + dir.resolve("zonesync.conf") + ":5");
        }
    }
}
