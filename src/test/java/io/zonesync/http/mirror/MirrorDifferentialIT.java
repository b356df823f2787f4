package io.zonesync.http.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mirror} and {@code mirror_request_body} against Debian's nginx: both serve the request from
 * the same backend and mirror it to the same recorder, which notes what each mirror request carried
 * (method, URI, the parent's {@code $request_uri} and headers, body framing and body), keyed by the
 * server that sent it.
 */
class MirrorDifferentialIT extends DifferentialSuite {
    private Nginx backend;
    private HttpServer recorder;
    /** What the recorder saw, by the mirroring server's address (127.0.0.1 zonesync, 127.0.0.2 nginx). */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

    @Override
    protected Differential start(Path dir) throws Exception {
        recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        recorder.createContext("/", this::record);
        recorder.start();
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "content $request_method $uri"; }
                    location /big/ { client_max_body_size 1m; return 200 "big $http_content_length"; }
                }
                """);
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location /m/ { mirror /_mirror; proxy_pass http://%1$s; }
                    location /big/ { client_max_body_size 1m; mirror /_mirror; proxy_pass http://%1$s; }
                    location /nobody/ { mirror /_mirror_nobody; mirror_request_body off; proxy_pass http://%1$s; }
                    location /two/ { mirror /_mirror; mirror /_mirror_two; proxy_pass http://%1$s; }
                    location /off/ { mirror /_mirror; location /off/inner/ { mirror off; proxy_pass http://%1$s; } }
                    location = /_mirror {
                        internal;
                        proxy_set_header X-Via $server_addr;
                        proxy_set_header X-Original-URI $request_uri;
                        proxy_pass http://127.0.0.1:%2$d/mirror;
                    }
                    location = /_mirror_two {
                        internal;
                        proxy_set_header X-Via $server_addr;
                        proxy_set_header X-Original-URI $request_uri;
                        proxy_pass http://127.0.0.1:%2$d/two;
                    }
                    location = /_mirror_nobody {
                        internal;
                        proxy_set_header X-Via $server_addr;
                        proxy_set_header X-Original-URI $request_uri;
                        proxy_set_header Content-Length "";
                        proxy_pass http://127.0.0.1:%2$d/nobody;
                    }
                }
                """.formatted(backend.address(), recorder.getAddress().getPort()));
    }

    private void record(HttpExchange r) throws IOException {
        byte[] body = r.getRequestBody().readAllBytes();
        String text = body.length <= 100 ? new String(body, StandardCharsets.UTF_8)
                : body.length + " bytes, hash " + Arrays.hashCode(body);
        String line = r.getRequestMethod() + " " + r.getRequestURI() + " original=" + r.getRequestHeaders()
                .getFirst("X-Original-URI") + " x-test=" + r.getRequestHeaders().getFirst("X-Test") + " length="
                + r.getRequestHeaders().getFirst("Content-Length") + " body=" + text;
        r.sendResponseHeaders(200, -1);
        r.close();
        seen.computeIfAbsent(String.valueOf(r.getRequestHeaders().getFirst("X-Via")), k -> new ArrayList<>()).add(line);
    }

    @AfterAll
    void stopBackends() {
        if (backend != null) {
            backend.close();
        }
        if (recorder != null) {
            recorder.stop(0);
        }
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    /** Sends the request to both servers; waits for {@code mirrors} mirror requests from each and returns zonesync's. */
    private List<String> mirrored(String request, int mirrors) throws Exception {
        Differential.Pair p = servers.both(request);
        assertSameAnswers(p, request);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.getOrDefault("127.0.0.1", List.of()).size() == mirrors
                && seen.getOrDefault("127.0.0.2", List.of()).size() == mirrors);
        List<String> zonesync = seen.get("127.0.0.1").stream().sorted().toList();
        assertThat(zonesync).as("what the mirror backend saw").isEqualTo(seen.get("127.0.0.2").stream().sorted().toList());
        return zonesync;
    }

    @Test
    void aGetIsMirroredWithItsMethodUriAndHeaders() throws Exception {
        assertThat(mirrored("GET /m/a?x=1 HTTP/1.1\r\nHost: diff.test\r\nX-Test: yes\r\nConnection: close\r\n\r\n", 1))
                .containsExactly("GET /mirror?x=1 original=/m/a?x=1 x-test=yes length=null body=");
    }

    @Test
    void aPostIsMirroredWithItsBody() throws Exception {
        assertThat(mirrored("POST /m/b HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
                + "hello", 1)).containsExactly("POST /mirror original=/m/b x-test=null length=5 body=hello");
    }

    @Test
    void aChunkedPostIsMirroredWithItsBody() throws Exception {
        assertThat(mirrored("POST /m/c HTTP/1.1\r\nHost: diff.test\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 1)).hasSize(1)
                .allSatisfy(line -> assertThat(line).endsWith("body=abcde"));
    }

    /** A body larger than what is held before the content phase: read whole, then to the mirror and upstream. */
    @Test
    void aLargeBodyGoesWholeToTheMirrorAndUpstream() throws Exception {
        String body = "0123456789abcdef".repeat(20_000);
        Differential.Pair p = servers.both("POST /big/h HTTP/1.1\r\nHost: diff.test\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(p.zonesync().body()).isEqualTo("big 320000");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.getOrDefault("127.0.0.1", List.of()).size() == 1
                && seen.getOrDefault("127.0.0.2", List.of()).size() == 1);
        assertThat(seen.get("127.0.0.1")).isEqualTo(seen.get("127.0.0.2")).singleElement().asString()
                .endsWith("length=320000 body=320000 bytes, hash " + Arrays.hashCode(body.getBytes(StandardCharsets.UTF_8)));
        assertSameAnswers(p, "POST /big/h");
    }

    @Test
    void withoutTheBodyOnlyTheHeadGoes() throws Exception {
        assertThat(mirrored("PUT /nobody/d HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 5\r\nConnection: close\r\n"
                + "\r\nhello", 1)).containsExactly("PUT /nobody original=/nobody/d x-test=null length=null body=");
    }

    @Test
    void everyMirrorGetsTheRequest() throws Exception {
        assertThat(mirrored("POST /two/e HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 2\r\nConnection: close\r\n"
                + "\r\nhi", 2)).containsExactly("POST /mirror original=/two/e x-test=null length=2 body=hi",
                        "POST /two original=/two/e x-test=null length=2 body=hi");
    }

    @Test
    void mirrorOffStopsTheInheritedOnes() throws Exception {
        Differential.Pair p = servers.get("/off/inner/f");
        assertSameAnswers(p, "GET /off/inner/f");
        assertThat(p.zonesync().body()).isEqualTo("content GET /off/inner/f");
        mirrored("GET /m/g HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n", 1);
        assertThat(seen.get("127.0.0.1")).noneMatch(line -> line.contains("/off/"));
    }
}
