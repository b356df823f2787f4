package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestServer;
import io.zonesync.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_session_ticket_key}: two nodes with the same key file resume each other's TLS
 * sessions by ticket (what a cluster behind one name needs), nodes with keys of their own do not,
 * and a second key still opens the tickets the first one sealed after a rotation. A client is
 * OpenSSL's {@code s_client}, which can carry a session from one address to another.
 */
class SessionTicketKeyIT {
    @TempDir
    Path dir;
    private TestPki pki;

    @BeforeEach
    void certificates() throws Exception {
        pki = TestPki.ca("ticket-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("server", "www.example.test"), dir.resolve("s.pem"), dir.resolve("s.key"));
    }

    private Path key(String name) throws Exception {
        byte[] b = new byte[48];
        new SecureRandom().nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    private TestServer node(String keys) throws Exception {
        return TestServer.start(dir, """
                http { access_log off;
                    server { listen 127.0.0.1:0 ssl; ssl_certificate s.pem; ssl_certificate_key s.key;
                             ssl_session_cache off; %s
                             location / { return 200 "reused=$ssl_session_reused"; } } }
                """.formatted(keys), new TlsModule());
    }

    /** One GET with s_client, saving the session to {@code out} and offering the one in {@code in}. */
    private String get(int port, Path in, Path out) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "www.example.test", "-CAfile", dir.resolve("ca.pem").toString(), "-tls1_2", "-quiet",
                "-no_ign_eof", "-sess_out", out.toString()));
        if (in != null) {
            cmd.addAll(List.of("-sess_in", in.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.example.test\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        p.getInputStream().transferTo(all);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = all.toString(StandardCharsets.ISO_8859_1);
        return text.substring(text.lastIndexOf("reused="));
    }

    @Test
    void nodesSharingAKeyResumeEachOthersSessions() throws Exception {
        Path k = key("shared.key");
        try (TestServer a = node("ssl_session_ticket_key " + k + ";");
                TestServer b = node("ssl_session_ticket_key " + k + ";")) {
            Path session = dir.resolve("a.session");
            assertThat(get(a.port(), null, session)).isEqualTo("reused=.");
            assertThat(get(b.port(), session, dir.resolve("b.session"))).isEqualTo("reused=r");
        }
    }

    @Test
    void nodesWithKeysOfTheirOwnDoNot() throws Exception {
        try (TestServer a = node("ssl_session_ticket_key " + key("a.key") + ";");
                TestServer b = node("")) {
            Path session = dir.resolve("a.session");
            assertThat(get(a.port(), null, session)).isEqualTo("reused=.");
            assertThat(get(b.port(), session, dir.resolve("b.session"))).isEqualTo("reused=.");
            assertThat(get(a.port(), session, dir.resolve("c.session"))).isEqualTo("reused=r");
        }
    }

    /** After a rotation the new key seals and the old one, listed second, still opens. */
    @Test
    void aRotatedKeyStillOpensOldTickets() throws Exception {
        Path old = key("old.key");
        Path fresh = key("new.key");
        Path session = dir.resolve("old.session");
        try (TestServer before = node("ssl_session_ticket_key " + old + ";")) {
            assertThat(get(before.port(), null, session)).isEqualTo("reused=.");
        }
        try (TestServer after = node("ssl_session_ticket_key " + fresh + "; ssl_session_ticket_key " + old + ";")) {
            assertThat(get(after.port(), session, dir.resolve("after.session"))).isEqualTo("reused=r");
        }
    }

    @Test
    void aKeyOfAnotherSizeIsRefusedWithItsLine() throws Exception {
        Files.write(dir.resolve("short.key"), new byte[32]);
        Files.write(dir.resolve("long.key"), new byte[80]);
        assertThatThrownBy(() -> node("ssl_session_ticket_key short.key;")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be 48 or 80 bytes").hasMessageMatching("(?s).*:\\d+.*");
        assertThatThrownBy(() -> node("ssl_session_ticket_key long.key;")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("80-byte (AES-256)");
    }
}
