package io.zonesync.http.keyval;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamic denylist NGINX Plus users build on keyval: a {@code type=ip} zone filled through the
 * API, its value in a variable, and {@code if} answering 403 for the addresses it holds.
 */
class KeyvalDenylistIT {

    @Test
    void addressesPutInTheZoneThroughTheApiAreRefusedUntilTheyAreRemoved(@TempDir Path dir) throws Exception {
        try (InJvmNode node = InJvmNode.start(dir, """
                events { }
                http {
                    access_log off;
                    keyval_zone zone=denylist:64k type=ip;
                    keyval $remote_addr $deny zone=denylist;
                    server {
                        listen 127.0.0.1:0;
                        location / { if ($deny) { return 403; } return 200 "welcome"; }
                        location /api { api write=on; }
                    }
                }
                """)) {
            Http http = node.http();
            assertThat(http.get("/").body()).isEqualTo("welcome");

            assertThat(http.post("/api/9/http/keyvals/denylist", "{\"10.0.0.0/8\":\"1\"}").statusCode()).isEqualTo(201);
            assertThat(http.get("/").statusCode()).as("127.0.0.1 is not in 10.0.0.0/8").isEqualTo(200);

            assertThat(http.post("/api/9/http/keyvals/denylist", "{\"127.0.0.0/8\":\"1\"}").statusCode())
                    .isEqualTo(201);
            assertThat(http.get("/").statusCode()).isEqualTo(403);

            assertThat(http.patch("/api/9/http/keyvals/denylist", "{\"127.0.0.0/8\":\"0\"}").statusCode())
                    .isEqualTo(204);
            assertThat(http.get("/").statusCode()).as("\"0\" is false, as in nginx").isEqualTo(200);

            assertThat(http.patch("/api/9/http/keyvals/denylist", "{\"127.0.0.0/8\":\"1\"}").statusCode())
                    .isEqualTo(204);
            assertThat(http.patch("/api/9/http/keyvals/denylist", "{\"127.0.0.0/8\":null}").statusCode())
                    .isEqualTo(204);
            assertThat(http.get("/").body()).isEqualTo("welcome");
        }
    }
}
