package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.sync.cluster.ZoneSyncModule;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssl_* and zone_sync_ssl_* directives as a stream server states them: defaults, key formats, errors. */
class TlsConfigTest {
    @TempDir
    Path dir;
    private TestPki.Issued leaf;

    @BeforeEach
    void setUp() {
        TestPki pki = TestPki.ca("unit-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        leaf = pki.issue("node", "127.0.0.1");
        TestPki.writePair(leaf, dir.resolve("node.pem"), dir.resolve("node.key"));
    }

    private Scope server(String body) throws Exception {
        Block root = ConfigParser.parseString("stream { server {\n" + body + "\n} }\n", "test.conf");
        DirectiveRegistry r = new DirectiveRegistry();
        r.registerAll(new StreamCoreModule(), new ZoneSyncModule(),
                new TlsModule());
        r.validate(root);
        Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return stream.child(Context.STREAM_SERVER, stream.block().first("server").block());
    }

    private ServerTls serverTls(String body) throws Exception {
        return ServerTls.compile(server(body), new SourceLocation("test.conf", 1), dir);
    }

    @Test
    void relativeFilesResolveAgainstTheConfigurationDirectoryAndDefaultsBuild() throws Exception {
        ServerTls tls = serverTls("ssl_certificate node.pem; ssl_certificate_key node.key;");
        assertThat(tls.handshakeTimeoutMs()).isEqualTo(60_000);
        assertThat(serverTls("ssl_certificate node.pem; ssl_certificate_key node.key; ssl_handshake_timeout 5s;")
                .handshakeTimeoutMs()).isEqualTo(5_000);
    }

    @Test
    void pkcs1AndLegacyEncryptedAndPkcs8EncryptedKeysLoad() throws Exception {
        TestPki.writeTraditionalKey(leaf, dir.resolve("rsa1.key"), null);
        TestPki.writeTraditionalKey(leaf, dir.resolve("legacy.key"), "pw-two");
        TestPki.writeEncryptedKey(leaf, dir.resolve("p8.key"), "pw-two");
        Files.writeString(dir.resolve("pw"), "pw-one\n\npw-two\n");
        assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("legacy.key"))).contains("Proc-Type: 4,ENCRYPTED");
        serverTls("ssl_certificate node.pem; ssl_certificate_key rsa1.key;");
        serverTls("ssl_certificate node.pem; ssl_certificate_key legacy.key; ssl_password_file pw;");
        serverTls("ssl_certificate node.pem; ssl_certificate_key p8.key; ssl_password_file pw;");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem; ssl_certificate_key p8.key;"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encrypted and no ssl_password_file");
    }

    @Test
    void sslOnMakesEveryListenOfItsServerTlsWithNginxsWarning() throws Exception {
        Files.writeString(dir.resolve("dh.pem"), "-----BEGIN DH PARAMETERS-----\n"
                + "MEYCQQC2q2TYH/sy1bN/uEwgr05LvDwixDGLD9FcLUznPhKWl/qmXKvMJ8swiOkv\n"
                + "m3Li9whLNEQgJk30FnswOmYWx38/AgEC\n-----END DH PARAMETERS-----\n"); // checked at -t, as nginx
        try (LogCapture logs = new LogCapture()) {
            HttpConfig c = TestConfigs.compile("http { access_log off; server { listen 127.0.0.1:0; ssl on;\n"
                    + " ssl_certificate node.pem; ssl_certificate_key node.key; ssl_dhparam dh.pem; }\n"
                    + " server { listen 127.0.0.2:0; } }", dir, List.of(), new TlsModule());
            assertThat(c.endpoint("127.0.0.1:0").tls()).isNotNull();
            assertThat(c.endpoint("127.0.0.2:0").tls()).isNull();
            assertThat(logs.lines()).contains("warn the \"ssl\" directive is deprecated, use the \"listen ... ssl\""
                    + " directive instead in t.conf:1");
        }
    }

    @Test
    void errorsNameTheFileAndTheLine() {
        assertThatThrownBy(() -> serverTls("ssl_certificate missing.pem; ssl_certificate_key node.key;"))
                .hasMessageContaining("cannot load certificate \"" + dir.resolve("missing.pem") + "\": no such file")
                .hasMessageContaining("test.conf:2");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem; ssl_certificate_key node.pem;"))
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem;"))
                .hasMessageContaining("no \"ssl_certificate_key\" is defined for certificate \"node.pem\"");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem; ssl_certificate_key node.key; ssl_ciphers NOPE;"))
                .hasMessageContaining("invalid cipher string \"NOPE\"").hasMessageContaining("no cipher matches it");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem; ssl_certificate_key node.key;"
                + " ssl_verify_client on;")).hasMessageContaining("no ssl_client_certificate or ssl_trusted_certificate");
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem; ssl_certificate_key node.key;"
                + " ssl_protocols SSLv3;")).hasMessageContaining("none of the protocols");
        assertThatThrownBy(() -> serverTls("")).hasMessageContaining("no \"ssl_certificate\" is defined for the"
                + " \"listen ... ssl\" directive in test.conf:1");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAsNginxRefusesIt() throws Exception {
        TestPki.writePair(TestPki.ca("unit-ca").issue("other", "127.0.0.1"), dir.resolve("other.pem"),
                dir.resolve("other.key")); // RSA too: same algorithm, other key
        assertThatThrownBy(() -> serverTls("ssl_certificate node.pem;\nssl_certificate_key other.key;"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certificate key \"other.key\" does not match certificate \"node.pem\""
                        + " (key values mismatch)")
                .hasMessageContaining("test.conf:3");
        assertThatThrownBy(() -> ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_certificate node.pem;\n"
                + "zone_sync_ssl_certificate_key other.key;"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not match certificate \"node.pem\" (key values mismatch)")
                .hasMessageContaining("test.conf:3");
        serverTls("ssl_certificate other.pem; ssl_certificate_key other.key;");
    }

    @Test
    void aProtocolTheRuntimeCannotOfferIsWarnedAboutAndLeftOut() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            assertThat(ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_protocols SSLv3 TLSv1.2 TLSv1.3;"),
                    dir)).isNotNull();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("warn") && l.contains("cannot offer SSLv3"));
        }
    }

    @Test
    void verificationWithoutACertificateOfOurOwnIsWarnedAbout() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_verify on; zone_sync_ssl_trusted_certificate"
                    + " ca.pem;"), dir);
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("warn \"zone_sync_ssl_verify\" is on but no"
                    + " \"zone_sync_ssl_certificate\" is defined in test.conf:2"));
            int before = logs.lines().size();
            ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_verify on; zone_sync_ssl_trusted_certificate"
                    + " ca.pem; zone_sync_ssl_certificate node.pem; zone_sync_ssl_certificate_key node.key;"), dir);
            assertThat(logs.lines().subList(before, logs.lines().size()))
                    .noneMatch(l -> l.contains("no \"zone_sync_ssl_certificate\""));
        }
    }

    @Test
    void confCommandsMapOntoBoringSslOrSayTheyCannot() throws Exception {
        ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_conf_command Groups X25519:P-256;"
                + " zone_sync_ssl_conf_command MinProtocol TLSv1.3;"), dir);
        assertThatThrownBy(() -> ClientTls.compile(server("zone_sync_ssl on;"
                + " zone_sync_ssl_conf_command Options PrioritizeChaCha;"), dir))
                .hasMessageContaining("\"zone_sync_ssl_conf_command Options\" is not supported: BoringSSL has no"
                        + " SSL_CONF_cmd").hasMessageContaining("test.conf:2");
        assertThatThrownBy(() -> ClientTls.compile(server("zone_sync_ssl on;"
                + " zone_sync_ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;"), dir))
                .hasMessageContaining("fixed TLSv1.3 cipher suites");
    }

    @Test
    void clientSideDefaultsAndVerificationNeedsTrustedCertificates() throws Exception {
        assertThat(ClientTls.compile(server("zone_sync_ssl off;"), dir)).isNull();
        assertThat(ClientTls.compile(server(""), dir)).isNull();
        ClientTls tls = ClientTls.compile(server("zone_sync_ssl on;"), dir);
        assertThat(tls.verifies()).isFalse();
        assertThat(tls.verifyDepth()).isEqualTo(1);
        // NGINX Plus's defaults: TLSv1.2 TLSv1.3, ciphers DEFAULT
        SSLEngine engine = tls.newHandler(new EmbeddedChannel(), "10.0.0.1",
                12345, 5000).engine();
        assertThat(engine.getEnabledProtocols()).as("SSLv2Hello is Netty's name for a hello format, not a protocol")
                .filteredOn(p -> !p.equals("SSLv2Hello")).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        SSLEngine explicit = ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_ciphers DEFAULT;"
                + " zone_sync_ssl_protocols TLSv1.2 TLSv1.3;"), dir)
                .newHandler(new EmbeddedChannel(), "10.0.0.1", 12345, 5000).engine();
        assertThat(engine.getEnabledCipherSuites()).containsExactlyInAnyOrder(explicit.getEnabledCipherSuites());
        assertThat(tls.nameFor("node-a.example")).isEqualTo("node-a.example");
        assertThat(ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_name cluster.internal;"), dir)
                .nameFor("10.0.0.1")).isEqualTo("cluster.internal");
        assertThatThrownBy(() -> ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_verify on;"), dir))
                .hasMessageContaining("no \"zone_sync_ssl_trusted_certificate\" for \"zone_sync_ssl_verify\"");
        assertThatThrownBy(() -> ClientTls.compile(server("zone_sync_ssl on; zone_sync_ssl_verify_depth 101;"), dir))
                .hasMessageContaining("a depth from 0 to 100");
    }
}
