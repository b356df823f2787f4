package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Whatever bytes a client sends on a connection, a real node (return, static files, the API,
 * keyval, limit_req, basic auth and a proxied upstream behind its HTTP listener) answers with
 * well-formed HTTP responses or closes the connection: every response has a valid status line,
 * header lines without control characters, a body that matches its framing and no 500; no exception
 * reaches the connection's {@code exceptionCaught}; nothing is logged at [warn] or above; and no
 * file outside the root is served.
 *
 * <p>A plain {@code mvn test} runs this in regression mode over the seeds in
 * {@code src/test/resources/io/zonesync/http/core/HttpRequestFuzzTestInputs/};
 * {@code bench/fuzz/run.sh} fuzzes it for real. Each input is written on a new connection, which is
 * then half-closed; the test reads until the node closes it.
 */
class HttpRequestFuzzTest {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9]) [\\x20-\\x7e]*");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([^\\x00-\\x08\\x0a-\\x1f\\x7f]*)");
    private static final String CONNECTION_LOGGER = HttpConnection.class.getName();
    private static Path dir;
    private static InJvmNode backend;
    private static InJvmNode node;
    private static Level connectionLevel;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("http-fuzz");
        Files.createDirectories(dir.resolve("html/static"));
        Files.writeString(dir.resolve("html/static/index.html"), "static index\n");
        Files.writeString(dir.resolve("html/404.html"), "not here\n");
        Files.writeString(dir.resolve("htpasswd"), "user:{PLAIN}secret\n");
        backend = InJvmNode.start(dir.resolve("backend"), """
                events { }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:0;
                        location / { return 200 "backend $request_uri $http_host $http_cookie\\n"; }
                    }
                }
                """);
        node = InJvmNode.start(dir, """
                events { }
                http {
                    access_log off;
                    keyval_zone zone=one:64k;
                    keyval $arg_text $text zone=one;
                    limit_req_zone $binary_remote_addr zone=perip:1m rate=1000r/s;
                    upstream backend {
                        zone backend 64k;
                        server 127.0.0.1:%d;
                        sticky cookie srv;
                    }
                    server {
                        listen 127.0.0.1:0;
                        root html;
                        error_page 404 /404.html;
                        location / { return 200 "text: $text $uri $args\\n"; }
                        location /static/ { }
                        location /api { api write=on; }
                        location /proxy/ { proxy_pass http://backend/; proxy_set_header X-Uri $request_uri;
                            proxy_set_header X-Path $uri; }
                        location /limited { limit_req zone=perip burst=5 nodelay; return 204; }
                        location /auth { auth_basic "fuzz"; auth_basic_user_file %s; return 200 "in\\n"; }
                        location = /redirect { return 301 /elsewhere$is_args$args; }
                        location = /404.html { }
                    }
                }
                """.formatted(backend.httpPort(), dir.resolve("htpasswd")));
        Logger connection = (Logger) LoggerFactory.getLogger(CONNECTION_LOGGER);
        connectionLevel = connection.getLevel();
        connection.setLevel(Level.DEBUG);
    }

    @AfterAll
    static void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger(CONNECTION_LOGGER)).setLevel(connectionLevel);
        if (node != null) {
            node.close();
        }
        if (backend != null) {
            backend.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void answersWellFormedOrCloses(byte[] input) throws IOException {
        Received received;
        List<String> logged;
        try (LogCapture logs = new LogCapture()) {
            received = exchange(input);
            logged = logs.lines();
        }
        for (String line : logged) {
            boolean exception = line.startsWith("debug connection ") && line.contains(" failed: ");
            boolean serious = line.matches("(warn|error|crit|alert|emerg) .*");
            assertThat(exception || serious).as("logged: %s", line).isFalse();
        }
        checkResponses(received);
    }

    /** What the node sent; {@code mayBeCut} when it reset the connection, which can cut the last response. */
    private record Received(String text, boolean mayBeCut) {
    }

    /** Writes the input on a new connection, half-closes it, and reads until the node closes it. */
    private static Received exchange(byte[] input) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(input);
                socket.shutdownOutput();
            } catch (SocketException closedEarly) {
                // the node answered and closed before taking all of it: what it sent is still read
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            boolean reset = false;
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    received.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                fail("the connection was neither answered to the end nor closed in 10 s; received: "
                        + received.toString(StandardCharsets.ISO_8859_1));
            } catch (SocketException e) {
                reset = true;
            }
            return new Received(received.toString(StandardCharsets.ISO_8859_1), reset);
        }
    }

    private static void checkResponses(Received received) {
        String text = received.text();
        boolean mayBeCut = received.mayBeCut();
        assertThat(text).as("served a file outside the root").doesNotContain("root:x:0:0:");
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                assertThat(mayBeCut).as("a response without the end of its header: %s", text.substring(at)).isTrue();
                return;
            }
            String[] lines = text.substring(at, end).split("\r\n", -1);
            Matcher status = STATUS_LINE.matcher(lines[0]);
            assertThat(status.matches()).as("status line %s", lines[0]).isTrue();
            int code = Integer.parseInt(status.group(1));
            assertThat(code).as("internal error: %s", text.substring(at)).isNotEqualTo(500);
            String length = null;
            String encoding = null;
            for (int i = 1; i < lines.length; i++) {
                Matcher h = HEADER.matcher(lines[i]);
                assertThat(h.matches()).as("header line %s", lines[i]).isTrue();
                String name = h.group(1).toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) {
                    assertThat(length).as("two Content-Length headers").isNull();
                    length = h.group(2).trim();
                } else if (name.equals("transfer-encoding")) {
                    encoding = h.group(2).trim();
                }
            }
            at = end + 4;
            if (code < 200 || code == 204 || code == 304) {
                assertThat(length == null || length.equals("0")).as("a %d with a body", code).isTrue();
            } else if (encoding != null) {
                assertThat(encoding).isEqualToIgnoringCase("chunked");
                at = chunks(text, at, mayBeCut);
            } else if (length != null) {
                assertThat(length).matches("[0-9]{1,18}");
                at = body(text, at, Long.parseLong(length), mayBeCut);
            } else {
                at = text.length();
            }
        }
    }

    /** Skips a body of {@code length} bytes, or none when the response answered a HEAD. */
    private static int body(String text, int at, long length, boolean mayBeCut) {
        long left = text.length() - at;
        if (left >= length && (left == length || text.startsWith("HTTP/1.", at + (int) length))) {
            return at + (int) length;
        }
        if (left == 0 || text.startsWith("HTTP/1.", at)) {
            return at;
        }
        assertThat(mayBeCut).as("a body that does not match its Content-Length %d: %s", length, text.substring(at))
                .isTrue();
        return text.length();
    }

    private static int chunks(String text, int at, boolean mayBeCut) {
        while (true) {
            int eol = text.indexOf("\r\n", at);
            if (eol < 0 && mayBeCut) {
                return text.length();
            }
            assertThat(eol).as("chunk size line").isPositive();
            String size = text.substring(at, eol);
            assertThat(size).matches("[0-9a-fA-F]{1,8}");
            int n = Integer.parseInt(size, 16);
            at = eol + 2;
            if (n == 0) {
                if (mayBeCut && !text.startsWith("\r\n", at)) {
                    return text.length();
                }
                assertThat(text.startsWith("\r\n", at)).as("end of chunked body").isTrue();
                return at + 2;
            }
            if (mayBeCut && at + n + 2 > text.length()) {
                return text.length();
            }
            assertThat(text.startsWith("\r\n", at + n)).as("end of chunk").isTrue();
            at += n + 2;
        }
    }
}
