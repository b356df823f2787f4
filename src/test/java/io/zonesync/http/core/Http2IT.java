package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 with real clients (the JDK's HttpClient over TLS with ALPN, curl for cleartext): every
 * stream runs the HTTP/1.x request path (static files, return, proxy_pass, limit_req,
 * client_max_body_size, the access log), on one connection for many streams.
 */
class Http2IT {
    private static final String LOG_FORMAT = "$http2|$server_protocol|$request|$status|$connection"
            + "|$connection_requests|$https|$content_length";

    @TempDir
    Path dir;
    private HttpServer backend;
    private InJvmNode node;
    private SSLContext trust;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        backend.createContext("/", x -> {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] answer = ("backend " + x.getRequestMethod() + " " + x.getRequestURI() + " " + body.length + " "
                    + x.getRequestHeaders().getFirst("X-Test") + "\n").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("X-Backend", "yes");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        backend.start();
        TestPki pki = TestPki.ca("h2-ca");
        Path conf = dir.resolve("node");
        Files.createDirectories(conf.resolve("html"));
        Files.writeString(conf.resolve("html/index.html"), "static file\n");
        Files.write(conf.resolve("html/big.bin"), new byte[300_000]);
        TestPki.writePair(pki.issue("server", "localhost"), conf.resolve("s.pem"), conf.resolve("s.key"));
        trust = SSLContext.getInstance("TLS");
        trust.init(null, TestPki.trusting(pki.ca.cert()), null);
        node = InJvmNode.start(conf, """
                events { }
                http {
                    log_format h2 '%s';
                    access_log %s h2;
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    upstream back { server 127.0.0.1:%d; }
                    server {
                        listen 127.0.0.1:0 ssl http2;
                        ssl_certificate s.pem; ssl_certificate_key s.key;
                        root %s;
                        client_max_body_size 2m;
                        location /return { return 200 "r $http2 $server_protocol $request $host\\n"; }
                        location /proxy/ { proxy_pass http://back/; proxy_set_header X-Test $http2; }
                        location /limited/ { limit_req zone=one nodelay; alias %s/; }
                        location /slow/ { limit_rate 100k; alias %s/; }
                    }
                    server {
                        listen 127.0.0.2:0 http2;
                        location / { return 200 "c $http2 $server_protocol\\n"; }
                    }
                    server {
                        listen 127.0.0.3:0;
                        http2 on;
                        location / { return 200 "b $http2 $server_protocol\\n"; }
                    }
                }
                """.formatted(LOG_FORMAT, conf.resolve("logs/h2.log"), backend.getAddress().getPort(),
                conf.resolve("html"), conf.resolve("html"), conf.resolve("html")));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        backend.stop(0);
    }

    private HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(trust).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + node.httpPort("127.0.0.1:0") + path);
    }

    private List<String> logLines(int atLeast) throws Exception {
        Path log = node.dir.resolve("logs/h2.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            return Files.exists(log) && Files.readAllLines(log).size() >= atLeast;
        });
        return Files.readAllLines(log);
    }

    @Test
    void aStaticFileAReturnAndTheAccessLogOverH2() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> file = c.send(HttpRequest.newBuilder(uri("/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("static file\n");
        assertThat(file.headers().firstValue("content-length")).hasValue("12");
        assertThat(file.headers().firstValue("connection")).isEmpty();
        HttpResponse<byte[]> big = c.send(HttpRequest.newBuilder(uri("/big.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.body()).hasSize(300_000);
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri("/return?a=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("r h2 HTTP/2.0 GET /return?a=1 HTTP/2.0 localhost\n");
        List<String> lines = logLines(3);
        assertThat(lines.get(0)).startsWith("h2|HTTP/2.0|GET /index.html HTTP/2.0|200|");
        assertThat(lines.get(2)).startsWith("h2|HTTP/2.0|GET /return?a=1 HTTP/2.0|200|").endsWith("|3|on|-");
    }

    /** 300k at 100k a second after the first second's worth: two seconds, while the stream frames it. */
    @Test
    void limitRatePacesAStream() throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = client(HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(uri("/slow/big.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).hasSize(300_000);
        assertThat(ms).isGreaterThan(1500);
    }

    /**
     * A graceful stop sends GOAWAY (NO_ERROR, naming the stream in flight as processed) and the
     * node stops. Whether the stream then finishes cannot be seen here: curl 7.88, as the JDK 17
     * client, gives up its transfers on any GOAWAY (it does so with nginx 1.22 too).
     */
    @Test
    void aGracefulStopSendsGoaway() throws Exception {
        Path out = dir.resolve("slow.out");
        Process curl = new ProcessBuilder("curl", "-sv", "-k", "--http2", "--max-time", "20", "-o", out.toString(),
                uri("/slow/big.bin").toString().replace("localhost", "127.0.0.1")).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out) && Files.size(out) > 0);
        CompletableFuture<Void> quit = CompletableFuture.runAsync(node.node::quit);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("GOAWAY, error=0, last_stream=1");
        quit.get(30, TimeUnit.SECONDS);
        node = null;
    }

    @Test
    void http11IsStillServedWhenTheClientAsksForIt() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(uri("/return")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).isEqualTo("r  HTTP/1.1 GET /return HTTP/1.1 localhost\n");
    }

    @Test
    void proxyingALargeBodyGoesUpstreamOverHttp11() throws Exception {
        byte[] body = new byte[1_500_000];
        HttpResponse<String> r = client(HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(uri("/proxy/up?q=2"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("backend POST /up?q=2 1500000 h2\n");
        assertThat(r.headers().firstValue("x-backend")).hasValue("yes");
        assertThat(logLines(1).get(0)).startsWith("h2|HTTP/2.0|POST /proxy/up?q=2 HTTP/2.0|200|")
                .endsWith("|1500000");
    }

    /**
     * curl: the JDK's client, like it does with nginx, waits for a window to send the rest of the
     * body after the answer and its RST_STREAM came.
     */
    @Test
    void aBodyOverClientMaxBodySizeIs413() throws Exception {
        Path big = Files.write(dir.resolve("big"), new byte[3_000_000]);
        assertThat(curl("--http2", "--data-binary", "@" + big, uri("/proxy/up").toString().replace("localhost",
                "127.0.0.1"))).startsWith("HTTP/2 413|").contains("413 Request Entity Too Large");
    }

    @Test
    void limitReqRefusesTheSecondStream() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        HttpRequest req = HttpRequest.newBuilder(uri("/limited/index.html")).build();
        assertThat(c.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = c.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(logLines(2).get(1)).startsWith("h2|HTTP/2.0|GET /limited/index.html HTTP/2.0|503|");
    }

    @Test
    void manyConcurrentStreamsShareOneConnection() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        c.send(HttpRequest.newBuilder(uri("/return")).build(), HttpResponse.BodyHandlers.ofString());
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(c.sendAsync(HttpRequest.newBuilder(uri(i % 2 == 0 ? "/return?i=" + i : "/proxy/p" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < all.size(); i++) {
            HttpResponse<String> r = all.get(i).get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(i % 2 == 0 ? "r h2 HTTP/2.0 GET /return?i=" + i + " HTTP/2.0 localhost\n"
                    : "backend GET /p" + i + " 0 h2\n");
        }
        List<String> lines = logLines(61);
        Set<String> connections = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split("\\|");
            connections.add(f[4]);
            numbers.add(f[5]);
        }
        assertThat(connections).hasSize(1);
        assertThat(numbers).hasSize(61).contains("1", "61");
    }

    @Test
    void cleartextListenHttp2SpeaksHttp2Only() throws Exception {
        int port = node.httpPort("127.0.0.2:0");
        assertThat(curl("--http2-prior-knowledge", "http://127.0.0.2:" + port + "/x"))
                .isEqualTo("HTTP/2 200|c h2c HTTP/2.0\n");
        assertThat(curl("--http1.1", "http://127.0.0.2:" + port + "/x")).startsWith("HTTP/ 000|");
    }

    @Test
    void http2OnTakesBothOnCleartext() throws Exception {
        int port = node.httpPort("127.0.0.3:0");
        assertThat(curl("--http2-prior-knowledge", "http://127.0.0.3:" + port + "/x"))
                .isEqualTo("HTTP/2 200|b h2c HTTP/2.0\n");
        assertThat(curl("--http1.1", "http://127.0.0.3:" + port + "/x")).isEqualTo("HTTP/1.1 200|b  HTTP/1.1\n");
    }

    /** curl's protocol and status, then the body. */
    static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "--max-time", "10", "-w",
                "\\n%{http_version}|%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(15, TimeUnit.SECONDS);
        int nl = out.lastIndexOf('\n');
        String[] tail = out.substring(nl + 1).split("\\|");
        String version = tail[0].equals("2") ? "2" : tail[0].equals("0") ? "" : tail[0];
        return "HTTP/" + version + " " + tail[1] + "|" + out.substring(0, nl);
    }
}
