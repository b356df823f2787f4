package io.zonesync.http.limitrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_rate, limit_rate_after and $limit_rate, over real connections. */
class LimitRateTest {
    @TempDir
    Path dir;
    private HttpRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
        }
    }

    private int start(String servers) throws Exception {
        LimitRateModule m = new LimitRateModule();
        runtime = HttpRuntime.start(TestConfigs.compile("http { access_log off; " + servers + " }", dir, List.of(m), m));
        return runtime.boundPort("127.0.0.1:0");
    }

    @Test
    void aFileIsPacedAfterItsFreeStartAndArrivesWhole() throws Exception {
        Files.write(dir.resolve("big"), new byte[300_000]);
        int port = start("server { listen 127.0.0.1:0; root " + dir + "; limit_rate 100k; limit_rate_after 50k;"
                + " location /fast/ { limit_rate 0; alias " + dir + "/; } }");
        try (RawClient c = new RawClient(port)) {
            long t0 = System.nanoTime();
            RawClient.Response r = c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n").read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.body()).hasSize(300_000);
            // 102,400 bytes a second after 51,200 free and one second's worth at once: ~1.4 s at least
            assertThat(ms).isGreaterThanOrEqualTo(1_200);
            long t1 = System.nanoTime();
            assertThat(c.send("GET /fast/big HTTP/1.1\r\nHost: a\r\n\r\n").read().body()).hasSize(300_000);
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(1_200);
        }
    }

    @Test
    void theVariableIsChangeableAndReadsAsANumber() throws Exception {
        int port = start("server { listen 127.0.0.1:0;"
                + " location /set { set $limit_rate 50k; return 200 \"[$limit_rate]\"; }"
                + " location /none { return 200 \"[$limit_rate]\"; } }");
        try (RawClient c = new RawClient(port)) {
            assertThat(c.send("GET /set HTTP/1.1\r\nHost: a\r\n\r\n").read().body()).isEqualTo("[51200]");
            assertThat(c.send("GET /none HTTP/1.1\r\nHost: a\r\n\r\n").read().body()).isEqualTo("[0]");
        }
    }

    @Test
    void valuesAreCheckedAsNginxChecksThem() {
        assertThatThrownBy(() -> start("server { listen 127.0.0.1:0; limit_rate 10x; }"))
                .isInstanceOf(ConfigException.class).hasMessage("\"limit_rate\" directive invalid value in t.conf:1");
        assertThatThrownBy(() -> start("server { listen 127.0.0.1:0; limit_rate_after 1g; }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("\"limit_rate_after\" directive invalid value in t.conf:1");
    }
}
