package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Nginx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NGINX Plus's proxy_cache_purge (not in nginx OSS, so not differential): a request the condition
 * marks removes its key's entry (204, or 404 when there was none), and a key ending in {@code *}
 * removes every entry whose key starts so.
 */
class ProxyCachePurgeIT {

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("X-Cache-Status").orElse(null);
    }

    @Test
    void purgeRemovesOneKeyOrAPrefix(@TempDir Path dir) throws Exception {
        try (Nginx backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server { listen LISTEN; location / { return 200 "fetched $request_id"; } }
                """)) {
            String config = """
                    events { }
                    http {
                        access_log off;
                        map $request_method $purge { PURGE 1; default 0; }
                        proxy_cache_path %s keys_zone=c:1m;
                        server {
                            listen 127.0.0.1:0;
                            add_header X-Cache-Status $upstream_cache_status;
                            location / {
                                proxy_cache c; proxy_cache_key $uri; proxy_cache_valid 1h; proxy_cache_purge $purge;
                                proxy_pass http://%s;
                            }
                        }
                    }
                    """.formatted(dir.resolve("cache"), backend.address());
            try (InJvmNode node = InJvmNode.start(dir.resolve("node"), config)) {
                Http http = node.http();
                String first = http.get("/a").body();
                assertThat(status(http.get("/a"))).isEqualTo("HIT");
                assertThat(http.send("PURGE", "/a", null).statusCode()).isEqualTo(204);
                HttpResponse<String> again = http.get("/a");
                assertThat(status(again)).isEqualTo("MISS");
                assertThat(again.body()).isNotEqualTo(first);
                assertThat(http.send("PURGE", "/nothing", null).statusCode()).isEqualTo(404);

                for (String p : new String[] {"/p/1", "/p/2", "/q/1"}) {
                    http.get(p);
                    assertThat(status(http.get(p))).isEqualTo("HIT");
                }
                assertThat(http.send("PURGE", "/p/*", null).statusCode()).isEqualTo(204);
                assertThat(status(http.get("/p/1"))).isEqualTo("MISS");
                assertThat(status(http.get("/p/2"))).isEqualTo("MISS");
                assertThat(status(http.get("/q/1"))).isEqualTo("HIT");
                assertThat(http.send("PURGE", "/x/*", null).statusCode()).isEqualTo(404);
            }
        }
    }
}
