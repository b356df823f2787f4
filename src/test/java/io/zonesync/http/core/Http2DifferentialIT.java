package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 against Debian's nginx 1.22, both driven by curl (with nghttp2): the same configuration
 * ({@code listen ... ssl http2}, and {@code listen ... http2} on plaintext) answers the same
 * requests with the same status, headers and body, and logs {@code $http2}, {@code $server_protocol}
 * and {@code $request} alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2DifferentialIT {
    private static final Pattern VERSIONED = Pattern.compile("(?:nginx|zonesync)/[0-9][^<\\s\"]*");
    private static final String LOG = "$http2|$server_protocol|$request|$status|$https|$content_length";

    private Path dir;
    private HttpServer backend;
    private Nginx nginx;
    private InJvmNode zonesync;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        backend.createContext("/", x -> {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] answer = ("backend " + x.getRequestMethod() + " " + x.getRequestURI() + " " + body.length + " "
                    + x.getRequestHeaders().getFirst("Content-Length") + "\n").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("X-Backend", "yes");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        backend.start();
        TestPki pki = TestPki.ca("h2-diff-ca");
        Path files = dir.resolve("files");
        Files.createDirectories(files.resolve("html"));
        Files.writeString(files.resolve("html/index.html"), "static file\n");
        Files.writeString(files.resolve("html/text.txt"), "compress me please ".repeat(200));
        TestPki.writePair(pki.issue("server", "localhost"), files.resolve("s.pem"), files.resolve("s.key"));
        String http = """
                log_format h2 '%s';
                access_log %%s h2;
                server {
                    listen LISTEN ssl http2;
                    ssl_certificate %s; ssl_certificate_key %s;
                    root %s;
                    client_max_body_size 1k;
                    gzip on; gzip_types text/plain; gzip_min_length 10;
                    location /return { return 200 "$http2 $server_protocol $request $host $content_length\\n"; }
                    location /redirect { return 301 /index.html; }
                    location /proxy/ { proxy_pass http://127.0.0.1:%d/; }
                    location /err { error_page 418 = /return; return 418; }
                    location /headers { add_header X-Seen "$http_x_one|$http_cookie" always; return 200 "h\\n"; }
                }
                """.formatted(LOG, files.resolve("s.pem"), files.resolve("s.key"), files.resolve("html"),
                backend.getAddress().getPort());
        nginx = Nginx.start(dir.resolve("nginx"), http.formatted(dir.resolve("nginx/h2.log")));
        Files.createDirectories(dir.resolve("zonesync/logs"));
        zonesync = InJvmNode.start(dir.resolve("zonesync"), "events { }\nhttp {\n"
                + http.formatted(dir.resolve("zonesync/h2.log")).replace("LISTEN", "127.0.0.1:0") + "\n}\n");
    }

    @AfterAll
    void stop() {
        if (zonesync != null) {
            zonesync.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    /** One request as curl arguments before the URL; the path follows. */
    static List<List<String>> requests() {
        return List.of(
                List.of("/index.html"),
                List.of("/missing"),
                List.of("/return?a=1"),
                List.of("-I", "/index.html"),
                List.of("--data-binary", "abc", "/return"),
                List.of("--data-binary", "x".repeat(2000), "/return"),
                List.of("/redirect"),
                List.of("--compressed", "/text.txt"),
                List.of("--data-binary", "hello", "/proxy/p?q=1"),
                List.of("/err"),
                List.of("-H", "X-One: 1", "-H", "Cookie: a=1", "-H", "Cookie: b=2", "/headers"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void answersAsNginxDoes(List<String> request) throws Exception {
        Answer z = curl(zonesync.httpPort(), "zonesync", request);
        Answer n = curl(nginx.port(), "nginx", request);
        assertThat(n.status()).as("nginx answered over HTTP/2").startsWith("HTTP/2 ");
        assertThat(z).as("%s%nnginx's error log:%n%s", request, nginx.errorLog()).isEqualTo(n);
    }

    @Test
    void theAccessLogLinesAgree() throws Exception {
        for (List<String> r : List.of(List.of("/return?log=1"), List.of("--data-binary", "abcd", "/return"),
                List.of("--http1.1", "/index.html"))) {
            curl(zonesync.httpPort(), "zonesync", r);
            curl(nginx.port(), "nginx", r);
        }
        List<String> fromNginx = lastLines(dir.resolve("nginx/h2.log"), 3);
        List<String> fromZonesync = lastLines(dir.resolve("zonesync/h2.log"), 3);
        assertThat(fromNginx).containsExactly("h2|HTTP/2.0|GET /return?log=1 HTTP/2.0|200|on|-",
                "h2|HTTP/2.0|POST /return HTTP/2.0|200|on|4", "|HTTP/1.1|GET /index.html HTTP/1.1|200|on|-");
        assertThat(fromZonesync).isEqualTo(fromNginx);
    }

    @Test
    void cleartextListenHttp2TakesHttp2OnlyAsNginx() throws Exception {
        String http = "server { listen LISTEN http2; location / { return 200 \"$http2 $server_protocol\\n\"; } }";
        try (Nginx plain = Nginx.start(dir.resolve("nginx-h2c"), http);
                InJvmNode node = InJvmNode.start(dir.resolve("zonesync-h2c"),
                        "events { }\nhttp {\n" + http.replace("LISTEN", "127.0.0.1:0") + "\n}\n")) {
            for (List<String> r : List.of(List.of("--http2-prior-knowledge", "/x"), List.of("--http1.1", "/x"))) {
                Answer z = curl("http", node.httpPort(), "zonesync", r);
                Answer n = curl("http", plain.port(), "nginx", r);
                assertThat(z).as("%s", r).isEqualTo(n);
            }
            assertThat(curl("http", node.httpPort(), "zonesync", List.of("--http2-prior-knowledge", "/x")).body())
                    .isEqualTo("h2c HTTP/2.0\n");
        }
    }

    private static List<String> lastLines(Path log, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= n);
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(all.size() - n, all.size());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What must agree: the status line, the headers that matter, the body. */
    record Answer(String status, Map<String, String> headers, String body) {
    }

    private Answer curl(int port, String name, List<String> request) throws Exception {
        return curl("https", port, name, request);
    }

    private Answer curl(String scheme, int port, String name, List<String> request) throws Exception {
        String host = name.equals("nginx") ? "127.0.0.2" : "127.0.0.1";
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "-i", "--max-time", "10"));
        if (scheme.equals("https") && !request.contains("--http1.1")) {
            cmd.add("--http2");
        }
        cmd.addAll(request.subList(0, request.size() - 1));
        cmd.add(scheme + "://" + host + ":" + port + request.get(request.size() - 1));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        int end = out.indexOf("\r\n\r\n");
        if (!out.startsWith("HTTP/") || end < 0) {
            return new Answer("no HTTP answer, curl exit " + p.exitValue(), Map.of(), "");
        }
        String[] lines = out.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String k = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
            if (k.equals("location") || k.equals("content-type") || k.equals("content-encoding") || k.equals("vary")
                    || k.startsWith("x-") || k.equals("connection") || k.equals("transfer-encoding")
                    || k.equals("keep-alive")) {
                headers.put(k, normalise(lines[i].substring(colon + 1).trim(), name, host, port));
            }
        }
        return new Answer(lines[0].trim(), headers, normalise(out.substring(end + 4), name, host, port));
    }

    private static String normalise(String text, String name, String host, int port) {
        return VERSIONED.matcher(text.replace(":" + port, ":PORT").replace(host, "HOST"))
                .replaceAll("SERVER/VERSION").replace(name, "SERVER");
    }
}
