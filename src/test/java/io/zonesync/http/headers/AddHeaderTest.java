package io.zonesync.http.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code add_header}: nginx's status rule, {@code always}, and inheritance only by levels without their own. */
class AddHeaderTest {
    @TempDir
    Path dir;
    private HttpRuntime runtime;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.shutdownNow();
        }
    }

    private int start(String http) throws ConfigException, IOException {
        runtime = HttpRuntime.start(TestConfigs.compile(http, dir, List.of()));
        return runtime.boundPort("127.0.0.1:0");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void notFoundPageAndAddHeaderFollowNginxsStatusRule() throws Exception {
        int port = start("http { access_log off; add_header X-Outer 1;\n"
                + " server { listen 127.0.0.1:0; root " + dir + ";\n"
                + "  location /a { add_header X-Ok ok; add_header X-Always $request_method always; return 200 a; }\n"
                + "  location /b { add_header X-Ok ok; add_header X-Always yes always; return 404; }\n"
                + "  location /c { return 200 c; } } }");
        HttpResponse<String> a = get(port, "/a");
        assertThat(a.headers().firstValue("x-ok")).hasValue("ok");
        assertThat(a.headers().firstValue("x-always")).hasValue("GET");
        assertThat(a.headers().firstValue("x-outer")).isEmpty();
        HttpResponse<String> b = get(port, "/b");
        assertThat(b.statusCode()).isEqualTo(404);
        assertThat(b.headers().firstValue("x-ok")).isEmpty();
        assertThat(b.headers().firstValue("x-always")).hasValue("yes");
        assertThat(b.body()).contains("<title>404 Not Found</title>").contains("<hr><center>zonesync</center>");
        assertThat(get(port, "/c").headers().firstValue("x-outer")).hasValue("1");
    }
}
