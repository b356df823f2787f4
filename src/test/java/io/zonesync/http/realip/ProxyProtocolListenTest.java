package io.zonesync.http.realip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TestPki;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listen ... proxy_protocol} on a running node: a header that does not come within
 * client_header_timeout, or is broken, closes the connection (logged as nginx logs it) while the
 * node goes on serving; the header comes before TLS on an {@code ssl} listen; and the address it
 * carries is the one the access log, allow/deny and limit_req see with {@code real_ip_header
 * proxy_protocol}.
 */
class ProxyProtocolListenTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    @TempDir
    Path dir;
    private InJvmNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private String exchange(String bytes) throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aHeaderThatDoesNotComeInTimeOrIsBrokenClosesTheConnectionAndTheNodeServesOn() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            node = InJvmNode.start(dir, "events { } http { access_log off; client_header_timeout 1s;"
                    + " server { listen 127.0.0.1:0 proxy_protocol;"
                    + " location / { return 200 \"$proxy_protocol_addr\"; } } }");
            long start = System.nanoTime();
            try (Socket slow = connect()) {
                slow.getOutputStream().write("PROXY TCP4 192.0.2.1 ".getBytes(StandardCharsets.US_ASCII));
                assertThat(slow.getInputStream().readAllBytes()).isEmpty();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            try (Socket silent = connect()) {
                assertThat(silent.getInputStream().readAllBytes()).isEmpty();
            }

            assertThat(exchange(REQUEST)).isEmpty();
            await().until(() -> logs.contains("broken header: \"GET / HTTP/1.1\r\nHost: x\r\n")
                    && logs.contains("while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:"
                    + node.httpPort()));
            assertThat(exchange("PROXY TCP4 192.0.2.1 198.51.100.1 1111\r\n" + REQUEST)).isEmpty();
            await().until(() -> logs.contains("broken header: \"PROXY TCP4 192.0.2.1 198.51.100.1 1111\r\n"));

            assertThat(exchange("PROXY TCP4 192.0.2.1 198.51.100.1 1111 80\r\n" + REQUEST)).endsWith("\r\n192.0.2.1");
        }
    }

    @Test
    void theHeaderComesBeforeTheTlsHandshake() throws Exception {
        TestPki pki = TestPki.ca("pp-ca");
        TestPki.writePair(pki.issue("rsa", "127.0.0.1"), dir.resolve("c.pem"), dir.resolve("c.key"));
        node = InJvmNode.start(dir, """
                events { } http { access_log off;
                    server { listen 127.0.0.1:0 ssl proxy_protocol; ssl_certificate %s; ssl_certificate_key %s;
                        set_real_ip_from 127.0.0.1; real_ip_header proxy_protocol;
                        location / { return 200 "$remote_addr $remote_port $proxy_protocol_server_addr"; } } }
                """.formatted(dir.resolve("c.pem"), dir.resolve("c.key")));
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }

            public void checkServerTrusted(X509Certificate[] c, String a) { }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (Socket plain = connect()) {
            plain.getOutputStream().write("PROXY TCP6 2001:db8::7 2001:db8::1 4321 443\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket(plain, "127.0.0.1",
                    plain.getPort(), true)) {
                tls.startHandshake();
                tls.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                InputStream in = tls.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                        .endsWith("\r\n2001:db8::7 4321 2001:db8::1");
            }
        }
    }

    @Test
    void theAccessLogAllowDenyAndLimitReqSeeTheRealClient() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(dir.resolve("f"), "ok");
        String get = "GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        node = InJvmNode.start(dir, """
                events { } http {
                    log_format real '$remote_addr $remote_port $realip_remote_addr $status';
                    access_log %s real;
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    server { listen 127.0.0.1:0 proxy_protocol; set_real_ip_from 127.0.0.0/8;
                        real_ip_header proxy_protocol;
                        root %s; location / { allow 192.0.2.0/24; deny all; limit_req zone=one; } } }
                """.formatted(log, dir));
        assertThat(exchange("PROXY TCP4 192.0.2.1 198.51.100.1 1111 80\r\n" + get)).startsWith("HTTP/1.1 200");
        assertThat(exchange("PROXY TCP4 192.0.2.1 198.51.100.1 1112 80\r\n" + get)).startsWith("HTTP/1.1 503");
        assertThat(exchange("PROXY TCP4 192.0.2.2 198.51.100.1 1113 80\r\n" + get)).startsWith("HTTP/1.1 200");
        assertThat(exchange("PROXY TCP4 198.51.100.9 198.51.100.1 1114 80\r\n" + get)).startsWith("HTTP/1.1 403");
        await().untilAsserted(() -> assertThat(Files.readAllLines(log)).containsExactly(
                "192.0.2.1 1111 127.0.0.1 200", "192.0.2.1 1112 127.0.0.1 503", "192.0.2.2 1113 127.0.0.1 200",
                "198.51.100.9 1114 127.0.0.1 403"));
    }
}
