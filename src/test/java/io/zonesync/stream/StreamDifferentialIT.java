package io.zonesync.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.HeldPort;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream proxy against Debian's nginx 1.22 on the same stream blocks and the same connections. */
class StreamDifferentialIT {
    private static final String LOG = """
            log_format basic "$remote_addr $protocol $status $bytes_sent $bytes_received"
                             " $upstream_addr $upstream_bytes_sent $upstream_bytes_received";
            access_log LOGS/stream.log basic;
            """;

    @TempDir
    Path dir;

    private static void agree(StreamDifferential.Pair p) {
        assertThat(p.zonesync()).isEqualTo(p.nginx());
    }

    @Test
    void returnWithVariables() throws Exception {
        try (StreamDifferential d = StreamDifferential.start(dir, """
                server { listen LISTEN; set $x "a b"; return "$remote_addr|$protocol|$x|$server_port|$status\\n"; }
                """)) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "", false));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("127.0.0.1|TCP|a b|PORT|000\n");
        }
    }

    @Test
    void proxiedBytesAndTheLogLine() throws Exception {
        try (EchoServer echo = new EchoServer("E:"); StreamDifferential d = StreamDifferential.start(dir, LOG + """
                upstream backend { server %s; }
                server { listen LISTEN; proxy_pass backend; }
                """.formatted(echo.address()))) {
            agree(d.both((host, port) -> StreamClient.exchange(host, port, "hello", 7)));
            String big = "x".repeat(200_000);
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.exchange(host, port, big, big.length() + 2));
            agree(p);
            assertThat(p.zonesync()).hasSize(big.length() + 2);
            StreamDifferential.Pair logs = d.logs("stream.log", 2);
            agree(logs);
            assertThat(logs.zonesync()).startsWith("127.0.0.1 TCP 200 7 5 " + echo.address() + " 5 7");
        }
    }

    @Test
    void mapChoosesTheUpstream() throws Exception {
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:");
                StreamDifferential d = StreamDifferential.start(dir, """
                        map $remote_addr $dest { 127.0.0.1 a; default b; }
                        map $server_port $other { default b; }
                        upstream a { server %s; }
                        upstream b { server %s; }
                        server { listen LISTEN; proxy_pass $dest; }
                        """.formatted(a.address(), b.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.exchange(host, port, "m", 3));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("A:m");
        }
    }

    @Test
    void proxyPassToAnAddressInAVariable() throws Exception {
        try (EchoServer a = new EchoServer("A:"); StreamDifferential d = StreamDifferential.start(dir, """
                map $remote_port $dest { default %s; }
                server { listen LISTEN; proxy_pass $dest; }
                """.formatted(a.address()))) {
            agree(d.both((host, port) -> StreamClient.exchange(host, port, "v", 3)));
        }
    }

    @Test
    void denyAndTheLogOfADeniedClient() throws Exception {
        try (EchoServer echo = new EchoServer("E:"); StreamDifferential d = StreamDifferential.start(dir, LOG + """
                server { listen LISTEN; deny 127.0.0.1; allow all; proxy_pass %s; }
                """.formatted(echo.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "x", false));
            agree(p);
            assertThat(p.zonesync()).isEmpty();
            StreamDifferential.Pair logs = d.logs("stream.log", 1);
            agree(logs);
            assertThat(logs.zonesync()).isEqualTo("127.0.0.1 TCP 403 0 0 - - -");
        }
    }

    @Test
    void nextUpstreamPastARefusingServerAndTheLogOfBoth() throws Exception {
        try (HeldPort down = new HeldPort(); EchoServer up = new EchoServer("U:");
                StreamDifferential d = StreamDifferential.start(dir, LOG + """
                        log_format times "$upstream_connect_time|$upstream_first_byte_time|$upstream_session_time"
                                         " $session_time $msec";
                        access_log LOGS/times.log times;
                        upstream backend { server 127.0.0.1:%d max_fails=0; server %s; }
                        server { listen LISTEN; proxy_pass backend; }
                        """.formatted(down.port(), up.address()))) {
            agree(d.both((host, port) -> StreamClient.exchange(host, port, "n", 3)));
            agree(d.both((host, port) -> StreamClient.exchange(host, port, "n", 3)));
            StreamDifferential.Pair logs = d.logs("stream.log", 2);
            agree(logs);
            StreamDifferential.Pair times = d.logs("times.log", 2);
            assertThat(times.zonesync().replaceAll("\\d", "N")).isEqualTo(times.nginx().replaceAll("\\d", "N"));
            assertThat(logs.zonesync()).contains("127.0.0.1:" + down.port() + ", " + up.address() + " 0, 1 0, 3");
        }
    }

    @Test
    void noLiveUpstreamIs502() throws Exception {
        try (HeldPort down = new HeldPort(); StreamDifferential d = StreamDifferential.start(dir, LOG + """
                upstream backend { server 127.0.0.1:%d; }
                server { listen LISTEN; proxy_pass backend; }
                """.formatted(down.port()))) {
            agree(d.both((host, port) -> StreamClient.untilClosed(host, port, "n", false)));
            StreamDifferential.Pair logs = d.logs("stream.log", 1);
            agree(logs);
            assertThat(logs.zonesync()).startsWith("127.0.0.1 TCP 502 0 0 127.0.0.1:" + down.port());
        }
    }

    @Test
    void proxyProtocolHeaderSentUpstream() throws Exception {
        try (EchoServer echo = new EchoServer(""); StreamDifferential d = StreamDifferential.start(dir, """
                server { listen LISTEN; proxy_pass %s; proxy_protocol on; proxy_timeout 300ms; }
                """.formatted(echo.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "pp", false));
            String z = p.zonesync().replaceAll(" \\d+ PORT", " CLIENTPORT PORT");
            assertThat(z).isEqualTo(p.nginx().replaceAll(" \\d+ PORT", " CLIENTPORT PORT").replace("127.0.0.2", "127.0.0.1"));
            assertThat(z).isEqualTo("PROXY TCP4 127.0.0.1 127.0.0.1 CLIENTPORT PORT\r\npp");
        }
    }

    @Test
    void proxyProtocolHeaderFromTheClient() throws Exception {
        try (StreamDifferential d = StreamDifferential.start(dir, """
                server { listen LISTEN proxy_protocol; return "$proxy_protocol_addr:$proxy_protocol_port $remote_addr"; }
                """)) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port,
                    "PROXY TCP4 192.0.2.7 192.0.2.8 4242 80\r\n", false));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("192.0.2.7:4242 127.0.0.1");
        }
    }

    @Test
    void halfCloseOn() throws Exception {
        try (EchoServer echo = new EchoServer("H:"); StreamDifferential d = StreamDifferential.start(dir, """
                server { listen LISTEN; proxy_pass %s; proxy_half_close on; }
                """.formatted(echo.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "bye", true));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("H:bye");
        }
    }

    @Test
    void limitConnAndItsStatus() throws Exception {
        try (EchoServer echo = new EchoServer("L:"); StreamDifferential d = StreamDifferential.start(dir, """
                log_format lim "$status $limit_conn_status";
                access_log LOGS/limit.log lim;
                limit_conn_zone $binary_remote_addr zone=addr:1m;
                server { listen LISTEN; limit_conn addr 1; proxy_pass %s; }
                """.formatted(echo.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> {
                try (Socket first = StreamClient.connect(host, port)) {
                    first.getOutputStream().write("1".getBytes());
                    String one = StreamClient.read(first.getInputStream(), 3);
                    return one + "|" + StreamClient.untilClosed(host, port, "2", false);
                }
            });
            agree(p);
            assertThat(p.zonesync()).isEqualTo("L:1|");
            StreamDifferential.Pair logs = d.logs("limit.log", 2);
            agree(logs);
            assertThat(logs.zonesync()).isEqualTo("503 REJECTED\n200 PASSED");
        }
    }

    @Test
    void proxyTimeoutEndsAnIdleSession() throws Exception {
        try (EchoServer echo = new EchoServer("T:"); StreamDifferential d = StreamDifferential.start(dir, LOG + """
                server { listen LISTEN; proxy_pass %s; proxy_timeout 300ms; }
                """.formatted(echo.address()))) {
            agree(d.both((host, port) -> timed(() -> StreamClient.untilClosed(host, port, "t", false))));
            agree(d.logs("stream.log", 1));
        }
    }

    private static String timed(IoSupplier s) throws IOException {
        long start = System.nanoTime();
        String out = s.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        return out + (ms >= 250 && ms < 5000 ? " after about the timeout" : " after " + ms + " ms");
    }

    @FunctionalInterface
    private interface IoSupplier {
        String get() throws IOException;
    }

    @Test
    void udpProxyAndItsLogLine() throws Exception {
        try (UdpEcho echo = new UdpEcho("U:"); StreamDifferential d = StreamDifferential.start(dir, """
                log_format u "$protocol $status $bytes_received $bytes_sent $upstream_addr $upstream_bytes_sent"
                             " $upstream_bytes_received";
                access_log LOGS/udp.log u;
                server { listen LISTEN; return ready; }
                server { listen UDP udp; proxy_pass %s; proxy_responses 1; }
                """.formatted(echo.address()))) {
            StreamDifferential.Pair p = d.bothUdp((host, port) -> UdpEcho.exchange(host, port, "query", 2));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("U:query|(none)");
            StreamDifferential.Pair logs = d.logs("udp.log", 1);
            agree(logs);
            assertThat(logs.zonesync()).isEqualTo("UDP 200 5 7 " + echo.address() + " 5 7");
        }
    }

    @Test
    void udpReturn() throws Exception {
        try (StreamDifferential d = StreamDifferential.start(dir, """
                server { listen LISTEN; return ready; }
                server { listen UDP udp; return "$protocol $remote_addr $status"; }
                """)) {
            StreamDifferential.Pair p = d.bothUdp((host, port) -> UdpEcho.exchange(host, port, "q", 2));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("UDP 127.0.0.1 000|(none)");
        }
    }

    @Test
    void geoAndSplitClients() throws Exception {
        try (StreamDifferential d = StreamDifferential.start(dir, """
                geo $g { default other; 127.0.0.0/8 loop; 127.0.0.1/32 one; delete 127.0.0.1/32; }
                geo $protocol $r { ranges; default none; 1.0.0.0-2.0.0.0 r; }
                split_clients "a$protocol" $a { 33.3% x; 33.3% y; * z; }
                split_clients "b$protocol" $b { 33.3% x; 33.3% y; * z; }
                split_clients "c$protocol" $c { 33.3% x; 33.3% y; * z; }
                split_clients "dd$protocol" $e { 10% x; 85.5% y; }
                server { listen LISTEN; return "$g $r $a$b$c$e"; }
                """)) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "", false));
            agree(p);
            assertThat(p.zonesync()).startsWith("loop none ");
        }
    }

    /** A TLS ClientHello as Java's TLS client sends it, for {@code serverName} and ALPN h2, http/1.1. */
    private static String clientHello(String serverName) throws Exception {
        javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        javax.net.ssl.SSLParameters params = engine.getSSLParameters();
        params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
        params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        engine.setSSLParameters(params);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(java.nio.ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void sslPrereadVariables() throws Exception {
        String hello = clientHello("example.com");
        try (StreamDifferential d = StreamDifferential.start(dir, """
                log_format p "$status $bytes_received $ssl_preread_server_name";
                access_log LOGS/preread.log p;
                server { listen LISTEN; ssl_preread on; preread_timeout 500ms;
                         return "$ssl_preread_server_name|$ssl_preread_alpn_protocols|$ssl_preread_protocol"; }
                """)) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, hello, false));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("example.com|h2,http/1.1|TLSv1.3");
            agree(d.both((host, port) -> StreamClient.untilClosed(host, port, "GET / HTTP/1.0\r\n\r\n", false)));
            agree(d.both((host, port) -> timed(() -> StreamClient.untilClosed(host, port, "", false))));
            agree(d.logs("preread.log", 3));
        }
    }

    @Test
    void sslPrereadRoutesByServerNameAndPassesTheHelloOn() throws Exception {
        String hello = clientHello("b.example");
        try (EchoServer a = new EchoServer("A:"); EchoServer b = new EchoServer("B:");
                StreamDifferential d = StreamDifferential.start(dir, """
                        map $ssl_preread_server_name $dest { b.example b; default a; }
                        upstream a { server %s; }
                        upstream b { server %s; }
                        server { listen LISTEN; ssl_preread on; proxy_pass $dest; }
                        """.formatted(a.address(), b.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.exchange(host, port, hello,
                    hello.length() + 2));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("B:" + hello);
        }
    }

    @Test
    void proxySslToTheUpstream() throws Exception {
        io.zonesync.testing.TestPki pki = io.zonesync.testing.TestPki.ca("stream test ca");
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        try (TlsEchoServer tls = new TlsEchoServer(pki, "backend.test");
                StreamDifferential d = StreamDifferential.start(dir.resolve("plain"), """
                        server { listen LISTEN; proxy_pass %s; proxy_ssl on; }
                        """.formatted(tls.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.exchange(host, port, "s", 6));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("SNI=:s");
        }
        try (TlsEchoServer tls = new TlsEchoServer(pki, "backend.test");
                StreamDifferential d = StreamDifferential.start(dir.resolve("verified"), """
                        upstream backend { server %s; }
                        server { listen LISTEN; proxy_pass backend; proxy_ssl on; proxy_ssl_server_name on;
                                 proxy_ssl_name backend.test; proxy_ssl_verify on;
                                 proxy_ssl_trusted_certificate %s; }
                        """.formatted(tls.address(), ca))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.exchange(host, port, "v", 18));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("SNI=backend.test:v");
        }
        try (TlsEchoServer tls = new TlsEchoServer(pki, "backend.test");
                StreamDifferential d = StreamDifferential.start(dir.resolve("wrongname"), LOG + """
                        server { listen LISTEN; proxy_pass %s; proxy_ssl on; proxy_ssl_name other.test;
                                 proxy_ssl_verify on; proxy_ssl_trusted_certificate %s; }
                        """.formatted(tls.address(), ca))) {
            StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "w", false));
            agree(p);
            assertThat(p.zonesync()).isEmpty();
            StreamDifferential.Pair logs = d.logs("stream.log", 1);
            agree(logs);
        }
    }

    /**
     * {@code proxy_ssl_session_reuse}: on (the default), the second connection to a TLS backend
     * resumes the first one's session; off, every connection makes a new one. The backend, an nginx
     * stream server, answers with {@code $ssl_session_reused}.
     */
    @Test
    void proxySslSessionReuse() throws Exception {
        io.zonesync.testing.TestPki pki = io.zonesync.testing.TestPki.ca("stream reuse ca");
        io.zonesync.testing.TestPki.writePair(pki.issue("backend.test", "backend.test"), dir.resolve("b.pem"),
                dir.resolve("b.key"));
        try (io.zonesync.testing.Nginx backend = io.zonesync.testing.Nginx.startStream(dir.resolve("backend"), """
                server { listen LISTEN ssl; ssl_certificate %1$s/b.pem; ssl_certificate_key %1$s/b.key;
                         ssl_session_cache shared:s:1m; return "reused=$ssl_session_reused"; }
                """.formatted(dir))) {
            for (String reuse : new String[] {"", "proxy_ssl_session_reuse on;",
                    "proxy_ssl_session_reuse off;"}) {
                try (StreamDifferential d = StreamDifferential.start(dir.resolve("front" + reuse.length()), """
                        server { listen LISTEN; proxy_pass %s; proxy_ssl on; %s }
                        """.formatted(backend.address(), reuse))) {
                    // whether the first resumes depends on whether the start-up probe's handshake ended before it
                    StreamDifferential.Pair first = d.both((host, port) -> StreamClient.untilClosed(host, port, "",
                            false));
                    if (reuse.endsWith("off;")) {
                        agree(first);
                    }
                    StreamDifferential.Pair second = d.both((host, port) -> StreamClient.untilClosed(host, port, "",
                            false));
                    agree(second);
                    assertThat(second.zonesync()).isEqualTo(reuse.endsWith("off;") ? "reused=." : "reused=r");
                }
            }
        }
    }

    /**
     * {@code proxy_bind}: the backend, an nginx stream server, answers with the address the
     * connection came from; an address this host does not have fails the bind (500, nothing relayed).
     */
    @Test
    void proxyBind() throws Exception {
        try (io.zonesync.testing.Nginx backend = io.zonesync.testing.Nginx.startStream(dir.resolve("backend"), """
                server { listen LISTEN; return "from $remote_addr"; }
                """)) {
            try (StreamDifferential d = StreamDifferential.start(dir.resolve("fixed"), LOG + """
                    map $server_port $local { default 127.0.0.6; }
                    server { listen LISTEN; proxy_pass %s; proxy_bind $local; }
                    """.formatted(backend.address()))) {
                StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "", false));
                agree(p);
                assertThat(p.zonesync()).isEqualTo("from 127.0.0.6");
            }
            try (StreamDifferential d = StreamDifferential.start(dir.resolve("foreign"), LOG + """
                    server { listen LISTEN; proxy_pass %s; proxy_bind 192.0.2.1; }
                    """.formatted(backend.address()))) {
                StreamDifferential.Pair p = d.both((host, port) -> StreamClient.untilClosed(host, port, "", false));
                agree(p);
                assertThat(p.zonesync()).isEmpty();
                StreamDifferential.Pair logs = d.logs("stream.log", 1);
                agree(logs);
                assertThat(logs.zonesync()).startsWith("127.0.0.1 TCP 500 0 0");
            }
        }
    }

    /** Sends {@code text} over TLS trusting {@code pki}'s CA, then reads {@code expected} bytes at most. */
    /** The two ciphers a TLS client of {@link #tlsListener} offers, in the order opposite to the server's. */
    private static final String[] CLIENT_CIPHERS = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"};

    private static String overTls(io.zonesync.testing.TestPki pki, String host, int port, String text, int expected)
            throws IOException {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", pki.ca.cert());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
                s.setSoTimeout(10_000);
                s.setEnabledCipherSuites(CLIENT_CIPHERS);
                s.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                return StreamClient.read(s.getInputStream(), expected);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    @Test
    void tlsListener() throws Exception {
        // ssl_prefer_server_ciphers is off by default: the client's first choice wins in both
        tlsListener("", "TLSv1.2|ECDHE-RSA-AES128-GCM-SHA256|-|.|NONE|-|-");
    }

    @Test
    void tlsListenerPreferringItsOwnCiphers() throws Exception {
        tlsListener("ssl_prefer_server_ciphers on;", "TLSv1.2|ECDHE-RSA-AES256-GCM-SHA384|-|.|NONE|-|-");
    }

    /** A TLS listener whose two ciphers a client offers in the other order; {@code line} is the handshake's log line. */
    private void tlsListener(String prefer, String line) throws Exception {
        io.zonesync.testing.TestPki pki = io.zonesync.testing.TestPki.ca("stream listener ca");
        io.zonesync.testing.TestPki.Issued leaf = pki.issue("localhost", "localhost", "127.0.0.1", "127.0.0.2");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        io.zonesync.testing.TestPki.writePair(leaf, cert, key);
        try (EchoServer echo = new EchoServer("E:"); StreamDifferential d = StreamDifferential.start(dir.resolve("d"), LOG + """
                log_format tls "$ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_session_reused|$ssl_client_verify"
                               "|$ssl_client_s_dn|$ssl_alpn_protocol";
                access_log LOGS/tls.log tls;
                server { listen LISTEN ssl; ssl_certificate %s; ssl_certificate_key %s; ssl_protocols TLSv1.2;
                         ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256; %s
                         proxy_pass %s; }
                """.formatted(cert, key, prefer, echo.address()))) {
            StreamDifferential.Pair p = d.both((host, port) -> overTls(pki, host, port, "secret", 8));
            agree(p);
            assertThat(p.zonesync()).isEqualTo("E:secret");
            agree(d.both((host, port) -> StreamClient.untilClosed(host, port, "plain\r\n", false)));
            StreamDifferential.Pair logs = d.logs("stream.log", 2);
            agree(logs);
            assertThat(logs.zonesync()).endsWith("127.0.0.1 TCP 500 0 0 - - -");
            // the handshake that succeeded; of the plain client's, nginx and zonesync's TLS libraries say different things
            StreamDifferential.Pair tls = d.logs("tls.log", 2);
            String z = tls.zonesync().lines().findFirst().orElseThrow();
            assertThat(z).isEqualTo(tls.nginx().lines().findFirst().orElseThrow());
            assertThat(z).isEqualTo(line);
        }
    }
}
