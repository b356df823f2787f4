package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runtime on 127.0.0.1 port 0, spoken to over real HTTP. */
class HttpRuntimeTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    private RawClient.Response withHost(String host) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            return c.send("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").read();
        }
    }

    @Test
    void serverNamesChooseTheServer() throws Exception {
        server = TestServer.start(dir, "http { access_log off;\n"
                + " server { listen 127.0.0.1:0; server_name a.test; return 200 a; }\n"
                + " server { listen 127.0.0.1:0 default_server; server_name *.b.test; return 200 \"b $host $server_name\"; } }");
        assertThat(withHost("a.test").body()).isEqualTo("a");
        assertThat(withHost("x.B.test:99").body()).isEqualTo("b x.b.test *.b.test");
        assertThat(withHost("other").body()).isEqualTo("b other *.b.test");
    }

    @Test
    void keepAliveHttp10AndPipelining() throws Exception {
        server = TestServer.start(dir, "http { access_log off; keepalive_timeout 30s 25; server { listen 127.0.0.1:0;\n"
                + " location / { return 200 \"$uri $connection_requests\"; } } }");
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r1 = c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawClient.Response r2 = c.send("GET /two HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r1.body()).isEqualTo("/one 1");
            assertThat(r2.body()).isEqualTo("/two 2");
            assertThat(r2.header("connection")).isEqualTo("keep-alive");
            assertThat(r2.header("keep-alive")).isEqualTo("timeout=25");
            c.send("GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("/p1 3");
            assertThat(c.read().body()).isEqualTo("/p2 4");
            RawClient.Response head = c.read(true);
            assertThat(head.header("content-length")).isEqualTo("5"); // "/p3 5"
            assertThat(head.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("GET /old HTTP/1.0\r\n\r\n").read();
            assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /again HTTP/1.0\r\n\r\n").read().body()).isEqualTo("/again 2");
        }
    }

    @Test
    void badRequestsGetNginxsAnswersAndTheNodeKeepsServing() throws Exception {
        server = TestServer.start(dir, "http { access_log off; client_max_body_size 10; server { listen 127.0.0.1:0;\n"
                + " location / { return 200 ok; } } }");
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("BROKEN\r\n\r\n").read().status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("GET /x HTTP/1.1\r\n\r\n").read().status()).isEqualTo(400); // no Host
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(414);
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: bad/host\r\n\r\n").read().status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("413 Request Entity Too Large");
            assertThat(r.header("connection")).isEqualTo("close");
        }
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n").read().status()).isEqualTo(505);
        }
        assertThat(server.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void errorPageServesAnotherUriOrNamedLocation() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0;\n"
                + " error_page 404 /custom404;\n"
                + " error_page 403 =200 @fallback;\n"
                + " error_page 410 https://elsewhere.test/;\n"
                + " location = /custom404 { return 200 \"custom for $request_uri\"; }\n"
                + " location @fallback { return 200 fallback; }\n"
                + " location /missing { return 404; }\n"
                + " location /forbidden { return 403; }\n"
                + " location /gone { return 410; } } }");
        HttpResponse<String> r = server.get("/missing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("custom for /missing");
        r = server.get("/forbidden");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("fallback");
        r = server.get("/gone");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).hasValue("https://elsewhere.test/");
    }

    @Test
    void accessLogLinesAreWrittenAndReopened() throws Exception {
        Path log = dir.resolve("access.log");
        server = TestServer.start(dir, "http { log_format short '$request_method $uri $status $arg_x';\n"
                + " server { listen 127.0.0.1:0; access_log " + log + " short;\n"
                + "  location / { return 200 ok; } } }");
        server.get("/a?x=1");
        server.get("/b");
        awaitLines(log, 2);
        assertThat(Files.readAllLines(log)).containsExactly("GET /a 200 1", "GET /b 200 -");
        Path rotated = dir.resolve("access.log.1");
        Files.move(log, rotated);
        server.runtime().reopenLogs();
        server.get("/c");
        awaitLines(log, 1);
        assertThat(Files.readAllLines(log)).containsExactly("GET /c 200 -");
        assertThat(Files.readAllLines(rotated)).hasSize(2);
    }

    /** A line is logged once its response is written, which may be just after the client has it. */
    private void awaitLines(Path log, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            server.runtime().flushLogs();
            return Files.exists(log) && Files.readAllLines(log).size() >= n;
        });
    }

    @Test
    void unixSocketListener() throws Exception {
        Assumptions.assumeTrue(Transport.epollAvailable());
        Path sock = dir.resolve("z.sock");
        HttpRuntime runtime = HttpRuntime.start(TestConfigs.compile("http { access_log off; server { listen unix:"
                + sock + "; return 200 \"unix $remote_addr\"; } }", dir, List.of()));
        try (AutoCloseable stop = runtime::shutdownNow; SocketChannel ch = SocketChannel.open(
                UnixDomainSocketAddress.of(sock))) {
            assertThat(runtime.boundAddress("unix:" + sock)).isNotNull();
            ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes()));
            InputStream in = Channels.newInputStream(ch);
            String text = new String(in.readAllBytes());
            assertThat(text).startsWith("HTTP/1.1 200").endsWith("unix unix:");
        }
    }
}
