package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.node.Node;
import io.zonesync.testing.HeldPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, refused connections, next upstream, all servers down; keep-alive on both sides. */
class UpstreamFailureTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    private TestBackend backend(String name) {
        TestBackend b = new TestBackend(name);
        closeMe.add(b);
        return b;
    }

    private void node(String httpBody) throws Exception {
        Node n = ProxyNodes.start(dir, "worker_processes 1;\n" + ProxyNodes.http(
                "log_format up '$upstream_addr|$upstream_status';\n" + httpBody));
        closeMe.add(n::stop);
        port = ProxyNodes.port(n);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A loopback port nothing listens on, held for the test. */
    private String refused() {
        HeldPort held = new HeldPort();
        closeMe.add(held);
        return "127.0.0.1:" + held.port();
    }

    @Test
    void slowUpstreamTimesOutWith504() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; proxy_read_timeout 300ms;\n"
                + " location / { proxy_pass http://backend; add_header X-Up \"$upstream_addr|$upstream_status\" always; } }");
        HttpResponse<String> r = get("/slow");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("504 Gateway Time-out");
        assertThat(r.headers().firstValue("X-Up")).hasValue(a.address() + "|504");
    }

    @Test
    void aTimeoutAfterTheResponseStartedCutsItWithoutChargingTheServer() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { zone backend 64k; server " + a.address() + " max_fails=1; server "
                + backend("b").address() + "; }\n"
                + "server { listen 127.0.0.1:0; proxy_read_timeout 300ms;\n"
                + " location / { proxy_pass http://backend; } location /api { api; } }");
        for (int i = 0; i < 2; i++) { // one on each server
            int attempt = i;
            Assertions.assertThatThrownBy(() -> get("/stall?" + attempt))
                    .isInstanceOf(IOException.class);
        }
        String peers = get("/api/9/http/upstreams/backend").body();
        assertThat(peers).contains("\"fails\":0").doesNotContain("\"fails\":1").doesNotContain("\"state\":\"unavail\"");
    }

    @Test
    void refusedConnectionGoesToTheNextServerAndCountsAFailure() throws Exception {
        TestBackend b = backend("b");
        String dead = refused();
        node("upstream backend { server " + dead + "; server " + b.address() + "; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://backend; add_header X-Up \"$upstream_addr|$upstream_status\";"
                + " add_header X-T \"$upstream_connect_time|$upstream_header_time|$upstream_response_time\"; } }");
        HttpResponse<String> r = get("/x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Up")).hasValue(dead + ", " + b.address() + "|502, 200");
        assertThat(r.headers().firstValue("X-T")).hasValueSatisfying(t -> assertThat(t)
                .matches("-, \\d+\\.\\d{3}\\|-, \\d+\\.\\d{3}\\|\\d+\\.\\d{3}, \\d+\\.\\d{3}"));
        // max_fails=1: the dead server is out for fail_timeout, so the next requests go straight to b
        for (int i = 0; i < 4; i++) {
            assertThat(get("/y").headers().firstValue("X-Up")).hasValue(b.address() + "|200");
        }
    }

    @Test
    void onlyServerRefusingGives502AndAllDownGives502() throws Exception {
        TestBackend c = backend("c");
        node("upstream one { server " + refused() + "; }\n"
                + "upstream off { server " + c.address() + " down; server " + refused() + " down; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location /one { proxy_pass http://one; }\n"
                + " location /off { proxy_pass http://off; add_header X-Up \"$upstream_addr|$upstream_status\" always; } }");
        HttpResponse<String> r = get("/one");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("502 Bad Gateway");
        HttpResponse<String> off = get("/off");
        assertThat(off.statusCode()).isEqualTo(502);
        assertThat(off.headers().firstValue("X-Up")).hasValue("off|502");
        assertThat(c.requests.get()).isZero();
    }

    @Test
    void backupServerServesWhenPrimariesFail() throws Exception {
        TestBackend spare = backend("spare");
        node("upstream backend { server " + refused() + "; server " + refused() + "; server " + spare.address()
                + " backup; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        HttpResponse<String> r = get("/b");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("spare /b");
    }

    @Test
    void nextUpstreamOnStatusWhenConfigured() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        node("upstream backend { server " + a.address() + "; server " + b.address() + "; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location /retry/ { proxy_pass http://backend/status/; proxy_next_upstream error timeout http_503; }\n"
                + " location /plain/ { proxy_pass http://backend/status/; } }");
        HttpResponse<String> r = get("/retry/503");
        assertThat(r.statusCode()).isEqualTo(503); // both answer 503: the last one is passed on
        assertThat(a.requests.get() + b.requests.get()).isEqualTo(2);
        HttpResponse<String> plain = get("/plain/503");
        assertThat(plain.statusCode()).isEqualTo(503);
        assertThat(a.requests.get() + b.requests.get()).isEqualTo(3);
    }

    @Test
    void garbageFromUpstreamIsAnInvalidHeader502() throws Exception {
        ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeMe.add(garbage);
        Thread t = new Thread(() -> {
            while (!garbage.isClosed()) {
                try (Socket s = garbage.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write("SPDY/9 what\r\n\u0001\u0002\r\n\r\n".getBytes(
                            StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        node("server { listen 127.0.0.1:0; location / { proxy_pass http://127.0.0.1:" + garbage.getLocalPort()
                + "; } }");
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(get("/again").statusCode()).isEqualTo(502);
    }

    @Test
    void uriPartReplacesTheLocationPrefix() throws Exception {
        TestBackend a = backend("a");
        node("server { listen 127.0.0.1:0;\n"
                + " location /name/ { proxy_pass http://" + a.address() + "/remote/; }\n"
                + " location /asis { proxy_pass http://" + a.address() + "; } }");
        assertThat(get("/name/some/path?q=1").body()).isEqualTo("a /remote/some/path?q=1");
        assertThat(a.lastHeaders().get("Host")).isEqualTo(a.address());
        assertThat(get("/asis/x%20y?z").body()).isEqualTo("a /asis/x%20y?z");
    }

    @Test
    void keepAliveOnBothSidesReusesOneUpstreamConnection() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; keepalive 4; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; proxy_http_version 1.1; } }");
        try (RawHttp raw = new RawHttp(port)) {
            for (int i = 0; i < 10; i++) {
                String r = raw.get("/k" + i);
                assertThat(r).startsWith("HTTP/1.1 200").endsWith("a /k" + i).containsIgnoringCase("Connection: keep-alive");
            }
        }
        assertThat(a.requests.get()).isEqualTo(10);
        assertThat(a.connections.get()).isEqualTo(1);
        assertThat(a.lastHeaders().get("Connection")).isNull();
        assertThat(a.last().protocolVersion().text()).isEqualTo("HTTP/1.1");
    }

    /** The same with the group in a zone (shared state, peers kept across reloads). */
    @Test
    void keepAliveReusesOneUpstreamConnectionInAZonedGroup() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { zone backend 64k; server " + a.address() + "; keepalive 4; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; proxy_http_version 1.1;"
                + " proxy_set_header Connection \"\"; } }");
        try (RawHttp raw = new RawHttp(port)) {
            for (int i = 0; i < 10; i++) {
                assertThat(raw.get("/z" + i)).startsWith("HTTP/1.1 200").endsWith("a /z" + i);
            }
        }
        assertThat(a.requests.get()).isEqualTo(10);
        assertThat(a.connections.get()).isEqualTo(1);
    }

    @Test
    void withoutKeepaliveEachRequestHasItsOwnUpstreamConnection() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        try (RawHttp raw = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(raw.get("/n" + i)).endsWith("a /n" + i);
            }
        }
        assertThat(a.connections.get()).isEqualTo(3);
    }
}
