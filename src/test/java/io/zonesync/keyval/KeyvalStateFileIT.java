package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code state=} zone in a real node killed with {@code kill -9}: every write the API
 * acknowledged is there after the restart, through enough writes to compact the journal meanwhile,
 * and an NGINX Plus state file carried over keeps its pairs.
 */
class KeyvalStateFileIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAcknowledgedWriteSurvivesKillNineAndAPlusStateFileIsCarriedOver(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/plus.keyval"), "{\"10.0.0.1\":\"blocked\",\"user:7\":\"admin\"}");
        String config = """
                error_log logs/error.log info;
                events { }
                http {
                    access_log off;
                    keyval_zone zone=one:4m state=state/one.keyval timeout=1h;
                    keyval_zone zone=plus:32k state=state/plus.keyval;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api write=on; }
                    }
                }
                """;
        Map<String, String> acknowledged = new TreeMap<>();
        String padding = "p".repeat(300);
        try (NodeProcess node = NodeProcess.start(dir, config, 0)) {
            Http http = node.http();
            assertThat(http.get("/api/9/http/keyvals/plus").body())
                    .isEqualTo("{\"10.0.0.1\":\"blocked\",\"user:7\":\"admin\"}");
            for (int i = 0; i < 1000; i++) {
                String body = JSON.writeValueAsString(Map.of("k" + i, "0-" + padding));
                assertThat(http.post("/api/9/http/keyvals/one", body).statusCode()).isEqualTo(201);
                acknowledged.put("k" + i, "0-" + padding);
            }
            for (int round = 1; round <= 4; round++) {
                for (int i = 0; i < 1000; i++) {
                    String key = "k" + i;
                    if (i % 10 == round) {
                        assertThat(http.patch("/api/9/http/keyvals/one", "{\"" + key + "\":null}").statusCode())
                                .isEqualTo(204);
                        acknowledged.remove(key);
                    } else if (acknowledged.containsKey(key)) {
                        String value = round + "-" + padding;
                        String body = JSON.writeValueAsString(Map.of(key, value));
                        assertThat(http.patch("/api/9/http/keyvals/one", body).statusCode()).isEqualTo(204);
                        acknowledged.put(key, value);
                    }
                }
            }
            assertThat(http.patch("/api/9/http/keyvals/plus", "{\"user:7\":\"guest\"}").statusCode()).isEqualTo(204);
            node.kill9();

            node.launch();
            http = node.http(); // the restarted node listens where the kernel put it this time
            String after = http.get("/api/9/http/keyvals/one").body();
            assertThat(JSON.readValue(after, TreeMap.class)).isEqualTo(acknowledged);
            assertThat(http.get("/api/9/http/keyvals/plus").body())
                    .isEqualTo("{\"10.0.0.1\":\"blocked\",\"user:7\":\"guest\"}");
            String log = Files.readString(dir.resolve("logs/error.log"));
            assertThat(log).contains("keyval state file \"" + dir.resolve("state/plus.keyval")
                    + "\" of zone \"plus\" was JSON and is now a journal");
            assertThat(log).doesNotContain("is truncated at offset").doesNotContain("is damaged");
            assertThat(Files.size(dir.resolve("state/one.keyval"))).as("compacted at least once")
                    .isLessThan(4000L * 300);
        }
    }
}
