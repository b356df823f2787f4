package io.zonesync.http.limitconn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldBackend;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused by a {@code limit_conn} in a dry run goes on, but first gives back the places
 * its earlier {@code limit_conn}s took, as nginx frees them all before it looks at the dry run:
 * while it is still in progress its key is free for the next request.
 */
class LimitConnDryRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void aDryRunRefusalGivesBackThePlacesTheRequestTook() throws Exception {
        try (HeldBackend backend = new HeldBackend("");
                InJvmNode node = InJvmNode.start(dir, """
                events { }
                http {
                    access_log off;
                    limit_conn_zone $http_x_key zone=bykey:1m;
                    limit_conn_zone $binary_remote_addr zone=perip:1m;
                    server {
                        listen 127.0.0.1:0;
                        location /api { api; }
                        location /held { limit_conn perip 1; proxy_pass http://%1$s/slow; }
                        location /dry { limit_conn bykey 1; limit_conn perip 1; limit_conn_dry_run on;
                                        proxy_pass http://%1$s/slow; }
                        location /keyed { limit_conn bykey 1; proxy_pass http://%1$s/fast; }
                    }
                }
                """.formatted(backend.address()))) {
            Http http = node.http();
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> http.get("/held"));
            await().atMost(Duration.ofSeconds(10)).until(() -> passed(http, "perip") == 1);
            CompletableFuture<HttpResponse<String>> dry = CompletableFuture.supplyAsync(
                    () -> http.send("GET", "/dry", null, "X-Key", "k"));
            await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(
                    http.get("/api/9/http/limit_conns/perip").body()).path("rejected_dry_run").asLong() == 1);
            assertThat(dry).as("the dry-run request is still in progress").isNotDone();
            assertThat(http.send("GET", "/keyed", null, "X-Key", "k").statusCode())
                    .as("the key the dry-run request took was given back").isEqualTo(200);
            backend.release();
            assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(dry.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static long passed(Http http, String zone) throws Exception {
        return JSON.readTree(http.get("/api/9/http/limit_conns/" + zone).body()).path("passed").asLong();
    }
}
