package io.zonesync.http.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestServer;
import io.zonesync.http.vars.CoreVariables;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code return} at server and location level, spoken to over real HTTP. */
class ReturnTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    @Test
    void returnWithVariablesAndRedirects() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0;\n"
                + " location /hello { return 200 \"hi $arg_name from $uri\"; }\n"
                + " location /old { return 301 /new$is_args$args; }\n"
                + " location /ext { return https://example.test$request_uri; }\n"
                + " location /teapot { return 418; }\n"
                + " location /gone { return 410; }\n"
                + " location /close { return 444; } } }");
        HttpResponse<String> r = server.get("/hello?name=bob");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hi bob from /hello");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("server")).hasValueSatisfying(s -> assertThat(s).startsWith("zonesync/"));

        r = server.get("/old?a=1");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("location")).hasValue("http://127.0.0.1:" + server.port() + "/new?a=1");
        assertThat(r.body()).contains("<title>301 Moved Permanently</title>");

        r = server.get("/ext/x?y");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).hasValue("https://example.test/ext/x?y");

        r = server.get("/gone");
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("<html>\r\n<head><title>410 Gone</title></head>\r\n<body>\r\n"
                + "<center><h1>410 Gone</h1></center>\r\n<hr><center>zonesync/" + CoreVariables.VERSION + "</center>\r\n</body>\r\n</html>\r\n");
        assertThat(server.get("/teapot").statusCode()).isEqualTo(418);

        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void pagesAreSignedWithTheVersionUnlessServerTokensIsOff() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0;\n"
                + " location /on { return 403; } location /off { server_tokens off; return 403; } } }");
        assertThat(server.get("/on").body()).contains("<hr><center>zonesync/" + CoreVariables.VERSION + "</center>");
        assertThat(server.get("/off").body()).contains("<hr><center>zonesync</center>");
        assertThat(server.get("/off").headers().firstValue("server")).hasValue("zonesync");
    }

    @Test
    void aServersReturnAnswersBeforeAnyLocationAndRunsOnce() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0; return 200 server;\n"
                + " location /x { return 200 location; } } }");
        assertThat(server.get("/x").body()).isEqualTo("server");
        assertThat(server.get("/nowhere").body()).isEqualTo("server");
    }

    @Test
    void aLocationsReturnIsNotInheritedByTheLocationsInsideIt() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0; root " + dir + ";\n"
                + " location /a { return 200 outer; location /a/b { } } } }");
        assertThat(server.get("/a").body()).isEqualTo("outer");
        assertThat(server.get("/a/b").statusCode()).isEqualTo(404);
    }
}
