package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.node.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sticky cookie, route and learn through one node; learn sessions surviving a reload. */
class StickyMethodsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestBackend a;
    private TestBackend b;
    private Node node;
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    private String config(String upstreamExtra) {
        a = a == null ? track(new TestBackend("a")) : a;
        b = b == null ? track(new TestBackend("b")) : b;
        return "worker_processes 1;\n" + ProxyNodes.http("upstream backend { server " + a.address()
                + " route=ra; server " + b.address() + " route=rb;\n " + upstreamExtra + "\n}\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
    }

    private TestBackend track(TestBackend t) {
        closeMe.add(t);
        return t;
    }

    private void start(String upstreamExtra) throws Exception {
        node = ProxyNodes.start(dir, config(upstreamExtra));
        closeMe.add(node::stop);
        port = ProxyNodes.port(node);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backend(HttpResponse<String> r) {
        return r.headers().firstValue("X-Backend").orElseThrow();
    }

    @Test
    void cookieBindsTheClientToTheServerThatAnsweredFirst() throws Exception {
        start("sticky cookie srv expires=1h domain=.example.com path=/ httponly samesite=lax;");
        HttpResponse<String> first = get("/", null);
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("srv=ra; expires=").contains(" GMT; max-age=3600; domain=.example.com; httponly;"
                + " samesite=lax; path=/");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = get("/", "srv=rb");
            assertThat(backend(r)).isEqualTo("b");
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("srv=rb;");
        }
    }

    @Test
    void routeVariableSelectsTheServerWithThatRoute() throws Exception {
        start("sticky route $arg_route $cookie_route;");
        for (int i = 0; i < 4; i++) {
            assertThat(backend(get("/?route=rb", null))).isEqualTo("b");
            assertThat(backend(get("/", "route=ra"))).isEqualTo("a");
        }
        assertThat(backend(get("/", null))).isNotEqualTo(backend(get("/", null)));
    }

    @Test
    void learnedSessionsSurviveAReload() throws Exception {
        start("sticky learn create=$upstream_cookie_session lookup=$cookie_session zone=s:64k timeout=1h header;");
        String owner = backend(get("/login?id=K", null));
        for (int i = 0; i < 3; i++) {
            assertThat(backend(get("/", "session=K"))).isEqualTo(owner);
        }
        node.reload(ProxyNodes.parse(dir, config("sticky learn create=$upstream_cookie_session lookup=$cookie_session"
                + " zone=s:64k timeout=1h header;")));
        for (int i = 0; i < 3; i++) {
            assertThat(backend(get("/", "session=K"))).isEqualTo(owner);
        }
    }
}
