package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code $request_body} against Debian's nginx: what a proxied request carries when
 * {@code proxy_set_header} or {@code proxy_set_body} names it (the body read whole first, kept up
 * to {@code client_body_buffer_size}), and that a location which answers itself reads no body to
 * hold. An echo backend answers with the header and body it received.
 */
class RequestBodyDifferentialIT extends DifferentialSuite {
    private HttpServer echo;

    @Override
    protected Differential start(Path dir) throws Exception {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        echo.createContext("/", RequestBodyDifferentialIT::echo);
        echo.start();
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location /header/ { proxy_pass http://127.0.0.1:%1$d; proxy_set_header X-Body $request_body; }
                    location /set/ { proxy_pass http://127.0.0.1:%1$d; proxy_set_body "wrapped($request_body)"; }
                    location /small/ {
                        client_body_buffer_size 1k;
                        proxy_pass http://127.0.0.1:%1$d;
                        proxy_set_header X-Body $request_body;
                    }
                    location /plain/ { proxy_pass http://127.0.0.1:%1$d; }
                    location /return/ { return 200 "returned [$request_body]\\n"; }
                }
                """.formatted(echo.getAddress().getPort()));
    }

    private static void echo(HttpExchange r) throws IOException {
        byte[] body = r.getRequestBody().readAllBytes();
        String text = body.length <= 200 ? new String(body, StandardCharsets.UTF_8) : body.length + " bytes";
        String header = r.getRequestHeaders().getFirst("X-Body");
        byte[] answer = ("x-body=[" + (header == null || header.length() <= 200 ? header : header.length() + " bytes")
                + "] length=" + r.getRequestHeaders().getFirst("Content-Length") + " body=[" + text + "]\n")
                .getBytes(StandardCharsets.UTF_8);
        r.sendResponseHeaders(200, answer.length);
        r.getResponseBody().write(answer);
        r.close();
    }

    @AfterAll
    void stopEcho() {
        if (echo != null) {
            echo.stop(0);
        }
    }

    static List<String> requests() {
        String small = "a=1&b=two";
        String chunked = "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n";
        return List.of(
                post("/header/a", small),
                "POST /header/chunked HTTP/1.1\r\nHost: diff.test\r\n" + chunked,
                "GET /header/none HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                post("/set/b", small),
                "POST /set/chunked HTTP/1.1\r\nHost: diff.test\r\n" + chunked,
                post("/plain/c", small),
                post("/return/d", small));
    }

    private static String post(String uri, String body) {
        return "POST " + uri + " HTTP/1.1\r\nHost: diff.test\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theBodyAsNginxKeepsIt(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }

    /** Larger than client_body_buffer_size (nginx spools it to a file): empty, and the body still goes whole. */
    @Test
    void aBodyLargerThanTheBufferIsNotKept() throws Exception {
        String body = "0123456789".repeat(400);
        String request = post("/small/e", body);
        Differential.Pair p = servers.both(request);
        assertSameAnswers(p, "POST /small/e with 4000 bytes");
        assertThat(p.zonesync().body()).isEqualTo("x-body=[null] length=4000 body=[4000 bytes]\n");
    }
}
