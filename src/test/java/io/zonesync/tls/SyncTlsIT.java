package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.config.ConfigException;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between real nodes: a cluster whose members all hold certificates from one CA
 * converges and stays converged across reloads; a stranger (another CA, an expired or revoked
 * certificate, a wrong name, no certificate, no TLS) is refused at the handshake, is never online,
 * leaves a log line saying why, and none of its writes arrive, while the members go on syncing.
 */
class SyncTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<InJvmNode> nodes = new ArrayList<>();
    private final LogCapture logs = new LogCapture();
    private TestPki pki;
    /** Members a, b and c listen for zone_sync on 127.0.0.2, .3 and .4, all on the port this holds on 127.0.0.1. */
    private HeldPort held;

    @BeforeEach
    void setUp() {
        pki = TestPki.ca("cluster-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        held = new HeldPort();
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(InJvmNode::close);
        logs.close();
        try {
            held.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The zone_sync address of member {@code index} (0 for a): a host and the held port. */
    private String sync(int index) {
        return ip(index) + ":" + held.port();
    }

    private static String ip(int index) {
        return "127.0.0." + (index + 2);
    }

    /**
     * The configuration of member {@code index}, listing the members {@code peers}: TLS both ways,
     * client certificates required, peers verified by name.
     */
    private String member(String name, int index, List<Integer> peers, String extra) {
        StringBuilder servers = new StringBuilder();
        for (int p : peers) {
            servers.append("        zone_sync_server ").append(sync(p)).append(";\n");
        }
        Path ca = dir.resolve("ca.pem");
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        return """
                events { }
                stream {
                    server {
                        listen %s ssl;
                        ssl_certificate %s; ssl_certificate_key %s;
                        ssl_verify_client on; ssl_trusted_certificate %s;
                        zone_sync; zone_sync_connect_retry_interval 100ms;
                %s
                        zone_sync_ssl on; zone_sync_ssl_verify on; zone_sync_ssl_trusted_certificate %s;
                        zone_sync_ssl_certificate %s; zone_sync_ssl_certificate_key %s;
                        %s
                    }
                }
                http {
                    access_log off;
                    keyval_zone zone=one:32k sync;
                    server { listen 127.0.0.1:0; location /api { api write=on; } }
                }
                """.formatted(sync(index), cert, key, ca, servers, ca, cert, key, extra);
    }

    private InJvmNode start(String name, String config) throws Exception {
        InJvmNode n = InJvmNode.start(dir.resolve("node-" + name), config);
        nodes.add(n);
        return n;
    }

    private void issue(String name, String... sans) {
        TestPki.writePair(pki.issue(name, sans), dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private static JsonNode status(InJvmNode n) throws Exception {
        return JSON.readTree(n.http().get("/api/9/stream/zone_sync").body()).path("status");
    }

    private static int online(InJvmNode n) throws Exception {
        return status(n).path("nodes_online").asInt();
    }

    private static String keys(InJvmNode n) {
        return n.http().get("/api/9/http/keyvals/one").body();
    }

    /** Every member: a, b and c, by index. */
    private static List<Integer> members() {
        return List.of(0, 1, 2);
    }

    /** Members a and b, each listing a, b and c. */
    private InJvmNode[] goodPair(String extra) throws Exception {
        issue("a", ip(0));
        issue("b", ip(1));
        InJvmNode a = start("a", member("a", 0, members(), extra));
        InJvmNode b = start("b", member("b", 1, members(), extra));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 1 && online(b) == 1);
        return new InJvmNode[] {a, b};
    }

    @Test
    void threeMembersConvergeOverMutualTlsAndStayConvergedAcrossReloads() throws Exception {
        issue("c", ip(2));
        InJvmNode[] ab = goodPair("");
        InJvmNode c = start("c", member("c", 2, members(), ""));
        List<InJvmNode> all = List.of(ab[0], ab[1], c);
        await().atMost(Duration.ofSeconds(20)).until(() -> online(ab[0]) == 2 && online(ab[1]) == 2 && online(c) == 2);
        for (int i = 0; i < 3; i++) {
            all.get(i).http().post("/api/9/http/keyvals/one", "{\"k" + i + "\":\"v" + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(n -> keys(n).contains("k0")
                && keys(n).contains("k1") && keys(n).contains("k2")));

        ab[0].reload(member("a", 0, members(), ""));
        c.reload(member("c", 2, members(), "zone_sync_ssl_protocols TLSv1.3;"));
        ab[1].http().post("/api/9/http/keyvals/one", "{\"after\":\"reload\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(n -> keys(n).contains("after")));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(ab[0]) == 2 && online(ab[1]) == 2 && online(c) == 2);

        Files.copy(dir.resolve("a.key"), dir.resolve("a.key.good"));
        Files.copy(dir.resolve("b.key"), dir.resolve("a.key"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ab[0].reload(member("a", 0, members(), "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key values mismatch");
        Files.move(dir.resolve("a.key.good"), dir.resolve("a.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("a.pem"), "not a certificate");
        assertThatThrownBy(() -> ab[0].reload(member("a", 0, members(), "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a.pem").hasMessageContaining("zonesync.conf:");
        c.http().post("/api/9/http/keyvals/one", "{\"still\":\"serving\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> keys(ab[0]).contains("still"));
    }

    /** The live row of a node's {@code zone_sync/nodes} extension (its other rows are peers not started). */
    private static JsonNode liveRow(InJvmNode n) throws Exception {
        for (JsonNode row : JSON.readTree(n.http().get("/api/9/stream/zone_sync/nodes").body())) {
            if (row.path("state").asText().equals("live")) {
                return row;
            }
        }
        return null;
    }

    @Test
    void eachPeerRowShowsTheLinksTlsAndTheVerifiedPeersSubject() throws Exception {
        InJvmNode[] ab = goodPair("");
        await().atMost(Duration.ofSeconds(20)).until(() -> liveRow(ab[0]) != null && liveRow(ab[1]) != null);
        JsonNode onA = liveRow(ab[0]).path("ssl");
        assertThat(onA.path("protocol").asText()).startsWith("TLSv1.");
        assertThat(onA.path("cipher").asText()).startsWith("TLS_");
        assertThat(onA.path("peer_subject").asText()).isEqualTo("CN=b");
        assertThat(liveRow(ab[1]).path("ssl").path("peer_subject").asText()).isEqualTo("CN=a");
        // the handshakes of the links a node dialled, on the peer's row; an inbound link's are the listener's
        for (InJvmNode n : ab) {
            JsonNode row = liveRow(n);
            if (row.path("direction").asText().equals("outbound")) {
                assertThat(row.path("handshakes").path("handshakes").asLong()).isPositive();
                assertThat(row.path("handshakes").path("handshakes_failed").asLong()).isZero();
            } else {
                assertThat(row.has("handshakes")).as(row.toString()).isFalse();
            }
        }
    }

    /** The row of a node's {@code zone_sync/nodes} extension for the peer at {@code address}. */
    private static JsonNode row(InJvmNode n, String address) throws Exception {
        for (JsonNode row : JSON.readTree(n.http().get("/api/9/stream/zone_sync/nodes").body())) {
            if (row.path("address").asText().equals(address)) {
                return row;
            }
        }
        return null;
    }

    /** c is refused: never online on a or b, the reason is logged, its writes never arrive, a and b still sync. */
    private void assertRefused(InJvmNode a, InJvmNode b, InJvmNode c, String reason) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.contains(reason));
        c.http().post("/api/9/http/keyvals/one", "{\"from-stranger\":\"x\"}");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> online(a) == 1 && online(b) == 1);
        assertThat(keys(a)).doesNotContain("from-stranger");
        assertThat(keys(b)).doesNotContain("from-stranger");
        a.http().post("/api/9/http/keyvals/one", "{\"members\":\"still-sync\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> keys(b).contains("still-sync"));
        assertThat(status(a).path("nodes").toString()).doesNotContain("\"" + sync(2) + "\",\"state\":\"online\"");
    }

    @Test
    void aPeerWithACertificateFromAnotherCaIsRefused() throws Exception {
        InJvmNode[] ab = goodPair("");
        TestPki other = TestPki.ca("other-ca");
        TestPki.writePair(other.issue("c", ip(2)), dir.resolve("c.pem"), dir.resolve("c.key"));
        InJvmNode c = start("c", member("c", 2, members(), ""));
        assertRefused(ab[0], ab[1], c, "certificate \"CN=c\" is not issued by a trusted CA");
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("info zone_sync: SSL_do_handshake() failed (")
                && l.contains("not issued by a trusted CA") && l.contains(") while SSL handshaking, client: 127.0.0.1:"));
    }

    @Test
    void aPeerWithAnExpiredCertificateIsRefused() throws Exception {
        InJvmNode[] ab = goodPair("");
        Instant now = Instant.now();
        TestPki.writePair(pki.issue(TestPki.rsa(), "c", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
                ip(2)), dir.resolve("c.pem"), dir.resolve("c.key"));
        InJvmNode c = start("c", member("c", 2, members(), ""));
        assertRefused(ab[0], ab[1], c, "certificate \"CN=c\" expired on");
        // c learns of its refusal only after its TLS 1.3 handshake completed: one line from its
        // dialer, not a stack trace on every retry.
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.contains("SSL_do_handshake() failed (the peer refused"
                + " the handshake (TLS alert certificate_expired)) while SSL handshaking to 127.0.0."));
        assertThat(logs.lines().stream().filter(l -> l.startsWith("error zone_sync: peer ") && l.contains(" is down: ")
                && l.contains("certificate_expired")).count()).as("one line per node c dials").isEqualTo(2);
        assertThat(logs.lines()).noneMatch(l -> l.contains("zone_sync: link to") && l.contains("failed"));
    }

    @Test
    void aPeerWithARevokedCertificateIsRefused() throws Exception {
        TestPki.Issued revoked = pki.issue("c", ip(2));
        pki.revoke(revoked);
        Path crl = pki.writeCrl(dir.resolve("crl.pem"));
        InJvmNode[] ab = goodPair("ssl_crl " + crl + "; zone_sync_ssl_crl " + crl + ";");
        TestPki.writePair(revoked, dir.resolve("c.pem"), dir.resolve("c.key"));
        InJvmNode c = start("c", member("c", 2, members(), ""));
        assertRefused(ab[0], ab[1], c, "certificate \"CN=c\" is revoked (CRL)");
    }

    @Test
    void aRevokedPeerThatDialsInIsRefusedByZoneSyncSslCrlAlone() throws Exception {
        // The listeners check client certificates against the CA but have no ssl_crl: only the
        // zone_sync_ssl_* checks, applied to inbound links too, keep c out when it dials.
        TestPki.Issued revoked = pki.issue("c", ip(2));
        pki.revoke(revoked);
        Path crl = pki.writeCrl(dir.resolve("crl.pem"));
        InJvmNode[] ab = goodPair("zone_sync_ssl_crl " + crl + ";");
        TestPki.writePair(revoked, dir.resolve("c.pem"), dir.resolve("c.key"));
        InJvmNode c = start("c", member("c", 2, members(), ""));
        assertRefused(ab[0], ab[1], c, "zone_sync: refused the link from " + sync(2)
                + ": certificate \"CN=c\" is revoked (CRL)");
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.contains("aborted the link: UNTRUSTED"));
    }

    @Test
    void aCertificateRevokedWhileItsLinkIsUpIsRefusedAfterAReloadWithTheNewCrl() throws Exception {
        TestPki.Issued cCert = pki.issue("c", ip(2));
        TestPki.writePair(cCert, dir.resolve("c.pem"), dir.resolve("c.key"));
        InJvmNode[] ab = goodPair("");
        InJvmNode c = start("c", member("c", 2, members(), ""));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(ab[0]) == 2 && online(ab[1]) == 2 && online(c) == 2);
        c.http().post("/api/9/http/keyvals/one", "{\"before\":\"revocation\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> keys(ab[0]).contains("before") && keys(ab[1]).contains("before"));

        pki.revoke(cCert);
        Path crl = pki.writeCrl(dir.resolve("crl.pem"));
        ab[0].reload(member("a", 0, members(), "zone_sync_ssl_crl " + crl + ";"));
        ab[1].reload(member("b", 1, members(), "zone_sync_ssl_crl " + crl + ";"));
        assertRefused(ab[0], ab[1], c, "certificate \"CN=c\" is revoked (CRL)");
    }

    @Test
    void aPeerNotInTheListIsRefusedAndLoggedOnce() throws Exception {
        issue("c", ip(2));
        InJvmNode[] ab = new InJvmNode[2];
        issue("a", ip(0));
        issue("b", ip(1));
        ab[0] = start("a", member("a", 0, members().subList(0, 2), ""));
        ab[1] = start("b", member("b", 1, members().subList(0, 2), ""));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(ab[0]) == 1 && online(ab[1]) == 1);
        InJvmNode c = start("c", member("c", 2, members(), "")); // trusted, and lists a and b: they do not list it
        String refusal = "zone_sync: refused the link from " + sync(2)
                + ": it is not in the zone_sync_server list";
        assertRefused(ab[0], ab[1], c, refusal);
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().stream().filter(l -> l.contains(refusal)).count() == 2);
        // told GOODBYE REMOVED, c stops dialling: one line on each of a and b, and no summary of repeats
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> logs.lines().stream().filter(l -> l.contains(refusal)).count() == 2);
        assertThat(logs.lines()).allMatch(l -> !l.contains(refusal) || l.startsWith("warn "));
    }

    @Test
    void aPeerWhoseNameDoesNotMatchIsRefusedWhenItDialsIn() throws Exception {
        InJvmNode[] ab = goodPair("");
        issue("c", "wrong.example");
        InJvmNode c = start("c", member("c", 2, members(), "")); // c dials a and b; its listener is trusted by name nowhere
        assertRefused(ab[0], ab[1], c, "zone_sync: refused the link from " + sync(2)
                + ": certificate \"CN=c\" does not match the name \"" + ip(2) + "\" (its names: wrong.example)");
    }

    @Test
    void aPeerWhoseNameDoesNotMatchIsRefusedWhenVerificationIsOn() throws Exception {
        InJvmNode[] ab = goodPair("");
        issue("c", "wrong.example");
        InJvmNode c = start("c", member("c", 2, List.of(2), "")); // c only answers, never dials
        assertRefused(ab[0], ab[1], c, "does not match the name \"" + ip(2) + "\" (its names: wrong.example)");
        // counted as a failed handshake with c, for its name, where a dials it and in a's /ssl
        JsonNode tried = row(ab[0], sync(2)).path("handshakes");
        assertThat(tried.path("handshakes_failed").asLong()).isPositive();
        assertThat(tried.path("verify_failures").path("hostname_mismatch").asLong())
                .isEqualTo(tried.path("handshakes_failed").asLong());
        assertThat(JSON.readTree(ab[0].http().get("/api/9/ssl").body()).path("verify_failures")
                .path("hostname_mismatch").asLong()).isPositive();
    }

    @Test
    void aPeerWithoutAClientCertificateIsRefusedWhereVerifyClientIsOn() throws Exception {
        InJvmNode[] ab = goodPair("");
        String config = member("c", 2, members(), "").replace("listen " + sync(2) + " ssl;",
                "listen " + sync(2) + ";").replaceAll("zone_sync_ssl_certificate[^;]*;", "")
                .replaceAll("zone_sync_ssl_certificate_key[^;]*;", "").replaceAll(" ssl_[a-z_]+ [^;]*;", "");
        InJvmNode c = start("c", config);
        assertRefused(ab[0], ab[1], c, "the peer sent no client certificate, and ssl_verify_client is on");
    }

    @Test
    void aPlaintextPeerOnATlsListenerIsRefused() throws Exception {
        InJvmNode[] ab = goodPair("");
        StringBuilder servers = new StringBuilder();
        for (int p : members()) {
            servers.append(" zone_sync_server ").append(sync(p)).append(";");
        }
        InJvmNode c = start("c", """
                events { }
                stream { server { listen %s; zone_sync; zone_sync_connect_retry_interval 100ms; %s } }
                http { access_log off; keyval_zone zone=one:32k sync;
                       server { listen 127.0.0.1:0; location /api { api write=on; } } }
                """.formatted(sync(2), servers));
        assertRefused(ab[0], ab[1], c, "not a TLS connection (a plaintext peer on a TLS listener?)");
        // c tried every 100 ms for more than a second and a half: one line on each listener, the
        // rest counted for the summary a minute on
        for (int p : members().subList(0, 2)) {
            assertThat(logs.lines().stream().filter(l -> l.startsWith("info zone_sync: SSL_do_handshake() failed (not a"
                    + " TLS connection") && l.endsWith(", server: " + sync(p))).count()).isEqualTo(1);
        }
    }

    @Test
    void aWrongPasswordFileIsAConfigurationErrorNamingTheFile() throws Exception {
        TestPki.Issued a = pki.issue("a", ip(0));
        TestPki.write(dir.resolve("a.pem"), a.cert());
        TestPki.writeEncryptedKey(a, dir.resolve("a.key"), "right");
        Files.writeString(dir.resolve("pw"), "wrong\nalso-wrong\n");
        assertThatThrownBy(() -> start("a", member("a", 0, members(), "zone_sync_ssl_password_file " + dir.resolve("pw")
                + "; ssl_password_file " + dir.resolve("pw") + ";")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot load certificate key \"" + dir.resolve("a.key") + "\"")
                .hasMessageContaining("none of the 2 passphrases in \"" + dir.resolve("pw") + "\"")
                .hasMessageContaining("zonesync.conf:");
        Files.writeString(dir.resolve("pw"), "wrong\nright\n");
        issue("b", ip(1));
        InJvmNode na = start("a", member("a", 0, members(), "zone_sync_ssl_password_file " + dir.resolve("pw")
                + "; ssl_password_file " + dir.resolve("pw") + ";"));
        InJvmNode nb = start("b", member("b", 1, members(), ""));
        await().atMost(Duration.ofSeconds(20)).until(() -> online(na) == 1 && online(nb) == 1);
    }

    @Test
    void theSyncPortClosesOnAddressesDeniedByTheStreamAccessRules() throws Exception {
        String plain = """
                events { }
                stream { server { listen %s; zone_sync; zone_sync_connect_retry_interval 100ms; %s %s } }
                http { access_log off; keyval_zone zone=one:32k sync;
                       server { listen 127.0.0.1:0; location /api { api write=on; } } }
                """;
        InJvmNode a = start("a", plain.formatted(sync(0), "deny 127.0.0.0/8; allow all;",
                "zone_sync_server " + sync(0) + ";"));
        InJvmNode c = start("c", plain.formatted(sync(2), "", "zone_sync_server " + sync(0) + ";"));
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.contains(
                "zone_sync: access forbidden by rule \"deny 127.0.0.0/8\""));
        c.http().post("/api/9/http/keyvals/one", "{\"from-denied\":\"x\"}");
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> online(a) == 0);
        assertThat(keys(a)).doesNotContain("from-denied");
        // c dials every 100 ms: one line, at error as nginx logs it, the rest counted for the summary
        assertThat(logs.lines().stream().filter(l -> l.contains("access forbidden by rule"))).singleElement()
                .matches(l -> l.startsWith("error zone_sync: access forbidden by rule \"deny 127.0.0.0/8\" in ")
                        && l.contains(", client: 127.0.0.1:") && l.endsWith(", server: " + sync(0)));
        assertThat(a.http().post("/api/9/http/keyvals/one", "{\"local\":\"ok\"}").statusCode()).isEqualTo(201);
    }
}
