package io.zonesync.http.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code add_header}: nginx's status rule, {@code always}, and inheritance only by levels without their own. */
class AddHeaderTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    @Test
    void notFoundPageAndAddHeaderFollowNginxsStatusRule() throws Exception {
        server = TestServer.start(dir, "http { access_log off; add_header X-Outer 1;\n"
                + " server { listen 127.0.0.1:0; root " + dir + ";\n"
                + "  location /a { add_header X-Ok ok; add_header X-Always $request_method always; return 200 a; }\n"
                + "  location /b { add_header X-Ok ok; add_header X-Always yes always; return 404; }\n"
                + "  location /c { return 200 c; } } }");
        HttpResponse<String> a = server.get("/a");
        assertThat(a.headers().firstValue("x-ok")).hasValue("ok");
        assertThat(a.headers().firstValue("x-always")).hasValue("GET");
        assertThat(a.headers().firstValue("x-outer")).isEmpty();
        HttpResponse<String> b = server.get("/b");
        assertThat(b.statusCode()).isEqualTo(404);
        assertThat(b.headers().firstValue("x-ok")).isEmpty();
        assertThat(b.headers().firstValue("x-always")).hasValue("yes");
        assertThat(b.body()).contains("<title>404 Not Found</title>").contains("<hr><center>zonesync/");
        assertThat(server.get("/c").headers().firstValue("x-outer")).hasValue("1");
    }
}
