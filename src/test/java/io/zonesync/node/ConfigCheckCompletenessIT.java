package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -t} ({@link Node#check}) against a real start ({@link Node#start}) on configurations that
 * are broken in what they point at: files, directories, a missing resolver. -t fails exactly when the
 * start does, with the start's words, at the directive's FILE:LINE (log files: without one, as
 * nginx). Tests run as root, so an unreadable file is a directory in its place.
 */
class ConfigCheckCompletenessIT {
    private static final String TLS = "ssl_certificate cert.pem; ssl_certificate_key key.pem;";
    private static final String CLIENT_TLS = "proxy_ssl_certificate cert.pem; proxy_ssl_certificate_key key.pem;";

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        TestPki pki = TestPki.ca("check");
        TestPki.Issued leaf = pki.issue("localhost", "localhost");
        TestPki.writePair(leaf, dir.resolve("cert.pem"), dir.resolve("key.pem"));
        TestPki.Issued other = pki.issue("other", "other");
        TestPki.writePair(other, dir.resolve("other.pem"), dir.resolve("other.key"));
        TestPki.writeEncryptedKey(leaf, dir.resolve("enc.key"), "secret");
        Files.writeString(dir.resolve("pass.txt"), "secret\n");
        Files.writeString(dir.resolve("wrongpass.txt"), "nope\n");
        pki.writeCa(dir.resolve("ca.pem"));
        pki.writeCrl(dir.resolve("crl.pem"));
        Files.writeString(dir.resolve("garbage.pem"), "this is no PEM\n");
        // from openssl dhparam 512 (zonesync checks their form and does not use them)
        Files.writeString(dir.resolve("dh.pem"), "-----BEGIN DH PARAMETERS-----\n"
                + "MEYCQQC2q2TYH/sy1bN/uEwgr05LvDwixDGLD9FcLUznPhKWl/qmXKvMJ8swiOkv\n"
                + "m3Li9whLNEQgJk30FnswOmYWx38/AgEC\n-----END DH PARAMETERS-----\n");
        Files.createDirectories(dir.resolve("adir")); // in place of a file: cannot be read, even by root
        Files.writeString(dir.resolve("afile"), "a file where a directory should be\n");
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 2000; i++) {
            big.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":\"").append("v".repeat(100)).append('"');
        }
        Files.writeString(dir.resolve("big.json"), big.append('}'));
    }

    static String http(String server) {
        return "events { }\nhttp {\n  server {\n    listen 127.0.0.1:0 ssl;\n    " + server + "\n  }\n}\n";
    }

    static String plainHttp(String httpLevel) {
        return "events { }\nhttp {\n  " + httpLevel + "\n  server { listen 127.0.0.1:0; }\n}\n";
    }

    static String proxy(String location) {
        return "events { }\nhttp {\n  server {\n    listen 127.0.0.1:0;\n    location / {\n      proxy_pass https://127.0.0.1:1;\n      "
                + location + "\n    }\n  }\n}\n";
    }

    static String stream(String streamLevel, String server) {
        return "events { }\nstream {\n  " + streamLevel + "\n  server {\n    listen 127.0.0.1:0;\n    " + server
                + "\n  }\n}\n";
    }

    static String streamTls(String server) {
        return "events { }\nstream {\n  server {\n    listen 127.0.0.1:0 ssl;\n    " + server + "\n  }\n}\n";
    }

    static String sync(String server) {
        return stream("", "zone_sync;\n    zone_sync_server 127.0.0.1:1;\n    " + server);
    }

    /** How -t and the start end: both refuse, -t at FILE:LINE; both refuse without one (as nginx's open() failed); both go on. */
    enum Expect { LINE, NO_LINE, BOTH_PASS }

    static Arguments of(String name, String conf) {
        return Arguments.of(name, conf, Expect.LINE);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                of("ssl_certificate missing", http("ssl_certificate missing.pem; ssl_certificate_key key.pem;")),
                of("ssl_certificate unreadable", http("ssl_certificate adir; ssl_certificate_key key.pem;")),
                of("ssl_certificate garbage", http("ssl_certificate garbage.pem; ssl_certificate_key key.pem;")),
                of("ssl_certificate_key missing", http("ssl_certificate cert.pem; ssl_certificate_key missing.key;")),
                of("ssl_certificate_key unreadable", http("ssl_certificate cert.pem; ssl_certificate_key adir;")),
                of("ssl_certificate_key mismatched", http("ssl_certificate cert.pem; ssl_certificate_key other.key;")),
                of("ssl_password_file missing",
                        http("ssl_certificate cert.pem; ssl_certificate_key enc.key; ssl_password_file missing.txt;")),
                of("ssl_password_file wrong",
                        http("ssl_certificate cert.pem; ssl_certificate_key enc.key; ssl_password_file wrongpass.txt;")),
                of("ssl_client_certificate missing",
                        http(TLS + " ssl_verify_client on; ssl_client_certificate missing.pem;")),
                of("ssl_client_certificate garbage",
                        http(TLS + " ssl_verify_client on; ssl_client_certificate garbage.pem;")),
                of("ssl_trusted_certificate missing",
                        http(TLS + " ssl_verify_client on; ssl_client_certificate ca.pem; ssl_trusted_certificate missing.pem;")),
                of("ssl_crl missing",
                        http(TLS + " ssl_verify_client on; ssl_client_certificate ca.pem; ssl_crl missing.pem;")),
                of("ssl_crl garbage",
                        http(TLS + " ssl_verify_client on; ssl_client_certificate ca.pem; ssl_crl garbage.pem;")),
                of("ssl_dhparam missing", http(TLS + " ssl_dhparam missing.pem;")),
                of("ssl_dhparam garbage", http(TLS + " ssl_dhparam garbage.pem;")),
                Arguments.of("ssl_dhparam holding DH parameters", http(TLS + " ssl_dhparam dh.pem;"), Expect.BOTH_PASS),
                of("stream ssl_dhparam missing", streamTls(TLS + " ssl_dhparam missing.pem; return x;")),
                of("proxy_ssl_certificate missing",
                        proxy("proxy_ssl_certificate missing.pem; proxy_ssl_certificate_key key.pem;")),
                of("proxy_ssl_certificate_key mismatched",
                        proxy("proxy_ssl_certificate cert.pem; proxy_ssl_certificate_key other.key;")),
                of("proxy_ssl_password_file missing",
                        proxy("proxy_ssl_certificate cert.pem; proxy_ssl_certificate_key enc.key; proxy_ssl_password_file missing.txt;")),
                of("proxy_ssl_trusted_certificate missing",
                        proxy("proxy_ssl_verify on; proxy_ssl_trusted_certificate missing.pem;")),
                of("proxy_ssl_trusted_certificate garbage",
                        proxy("proxy_ssl_verify on; proxy_ssl_trusted_certificate garbage.pem;")),
                of("proxy_ssl_crl missing",
                        proxy("proxy_ssl_verify on; proxy_ssl_trusted_certificate ca.pem; proxy_ssl_crl missing.pem;")),
                of("stream ssl_certificate missing",
                        streamTls("ssl_certificate missing.pem; ssl_certificate_key key.pem; return x;")),
                of("stream ssl_certificate_key mismatched",
                        streamTls("ssl_certificate cert.pem; ssl_certificate_key other.key; return x;")),
                of("stream ssl_crl garbage",
                        streamTls(TLS
                                + " ssl_verify_client on; ssl_client_certificate ca.pem; ssl_crl garbage.pem; return x;")),
                of("stream proxy_ssl_certificate missing",
                        stream("", "proxy_pass 127.0.0.1:1; proxy_ssl on; proxy_ssl_certificate missing.pem; proxy_ssl_certificate_key key.pem;")),
                of("stream proxy_ssl_trusted_certificate garbage",
                        stream("", "proxy_pass 127.0.0.1:1; proxy_ssl on; proxy_ssl_verify on; proxy_ssl_trusted_certificate garbage.pem;")),
                of("stream proxy_ssl_password_file wrong",
                        stream("", "proxy_pass 127.0.0.1:1; proxy_ssl on; " + CLIENT_TLS.replace("key.pem", "enc.key")
                                + " proxy_ssl_password_file wrongpass.txt;")),
                of("zone_sync_ssl_certificate missing",
                        sync("zone_sync_ssl on; zone_sync_ssl_certificate missing.pem; zone_sync_ssl_certificate_key key.pem;")),
                of("zone_sync_ssl_certificate_key mismatched",
                        sync("zone_sync_ssl on; zone_sync_ssl_certificate cert.pem; zone_sync_ssl_certificate_key other.key;")),
                of("zone_sync_ssl_trusted_certificate garbage",
                        sync("zone_sync_ssl on; zone_sync_ssl_verify on; zone_sync_ssl_trusted_certificate garbage.pem;")),
                of("zone_sync_ssl_crl missing",
                        sync("zone_sync_ssl on; zone_sync_ssl_verify on; zone_sync_ssl_trusted_certificate ca.pem; zone_sync_ssl_crl missing.pem;")),
                of("zone_sync_ssl_password_file wrong",
                        sync("zone_sync_ssl on; zone_sync_ssl_certificate cert.pem; zone_sync_ssl_certificate_key enc.key; zone_sync_ssl_password_file wrongpass.txt;")),
                of("zone_sync_ssl off, zone_sync_ssl_certificate missing",
                        sync("zone_sync_ssl_certificate missing.pem; zone_sync_ssl_certificate_key key.pem;")),
                of("zone_sync_ssl off, zone_sync_ssl_certificate_key mismatched",
                        sync("zone_sync_ssl_certificate cert.pem; zone_sync_ssl_certificate_key other.key;")),
                of("zone_sync_ssl off, zone_sync_ssl_trusted_certificate missing",
                        sync("zone_sync_ssl_trusted_certificate missing.pem;")),
                of("zone_sync_ssl off, zone_sync_ssl_crl garbage", sync("zone_sync_ssl_crl garbage.pem;")),
                of("zone_sync_ssl off, zone_sync_ssl_protocols bad", sync("zone_sync_ssl_protocols TLSv9;")),
                of("zone_sync_ssl off, zone_sync_ssl_verify_depth bad", sync("zone_sync_ssl_verify_depth x;")),
                of("zone_sync_ssl off, zone_sync_ssl_password_file missing",
                        sync("zone_sync_ssl_certificate cert.pem; zone_sync_ssl_certificate_key enc.key; zone_sync_ssl_password_file missing.txt;")),
                of("zone_sync_ssl on, zone_sync_ssl_protocols bad", sync("zone_sync_ssl on; zone_sync_ssl_protocols TLSv9;")),
                of("keyval_zone state in a missing directory",
                        plainHttp("keyval_zone zone=k:1m state=nodir/k.state;")),
                of("keyval_zone state under a file", plainHttp("keyval_zone zone=k:1m state=afile/k.state;")),
                of("keyval_zone state is a directory", plainHttp("keyval_zone zone=k:1m state=adir;")),
                of("keyval_zone state not JSON", plainHttp("keyval_zone zone=k:1m state=garbage.pem;")),
                of("keyval_zone state too big for the zone", plainHttp("keyval_zone zone=k:32k state=big.json;")),
                of("stream keyval_zone state in a missing directory",
                        stream("keyval_zone zone=k:1m state=nodir/k.state;", "return x;")),
                of("upstream state in a missing directory",
                        plainHttp("upstream u { zone u 64k; state nodir/u.state; }")),
                of("upstream state under a file", plainHttp("upstream u { zone u 64k; state afile/u.state; }")),
                of("upstream state is a directory", plainHttp("upstream u { zone u 64k; state adir; }")),
                of("stream upstream state in a missing directory",
                        stream("upstream u { zone u 64k; state nodir/u.state; }", "proxy_pass u;")),
                of("upstream resolve without resolver",
                        plainHttp("upstream u { zone u 64k; server localhost:1 resolve; }")),
                of("stream upstream resolve without resolver",
                        stream("upstream u { zone u 64k; server localhost:1 resolve; }", "proxy_pass u;")),
                of("zone_sync_server resolve without resolver",
                        stream("", "zone_sync;\n    zone_sync_server localhost:1 resolve;")),
                of("proxy_cache_path under a file", plainHttp("proxy_cache_path afile/cache keys_zone=c:1m;")),
                of("proxy_cache_path in a missing directory", plainHttp("proxy_cache_path nodir/cache keys_zone=c:1m;")),
                of("stream error_log in a missing directory", stream("error_log nodir/e.log;", "return x;")),
                of("stream server error_log in a missing directory", stream("", "error_log nodir/e.log; return x;")),
                of("http server error_log in a missing directory", plainHttp("error_log nodir/e.log;")),
                Arguments.of("access_log in a missing directory", plainHttp("access_log nodir/a.log;"), Expect.NO_LINE),
                Arguments.of("stream access_log in a missing directory",
                        stream("log_format l x;", "access_log nodir/a.log l; return x;"), Expect.NO_LINE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void whatFailsAStartFailsTheTestAtItsLine(String name, String conf, Expect expect) throws Exception {
        String checked = outcome(conf, true);
        String started = outcome(conf, false);
        String at = " in " + dir.resolve("zonesync.conf") + ":";
        if (expect == Expect.BOTH_PASS) {
            assertThat(checked).as("-t").isNull();
            assertThat(started).as("start").isNull();
            return;
        }
        assertThat(started).as("start").isNotNull();
        assertThat(checked).as("-t").isNotNull();
        if (expect == Expect.LINE) {
            assertThat(checked).as("-t").matches(".*" + Pattern.quote(at) + "\\d+");
        } else {
            assertThat(checked).as("-t").doesNotContain(at);
        }
        assertThat(checked.replaceAll(Pattern.quote(at) + "\\d+$", ""))
                .as("-t says what the start says").isEqualTo(started.replaceAll(Pattern.quote(at) + "\\d+$", ""));
    }

    /** The error -t or a start gives, or null when it succeeds. */
    private String outcome(String conf, boolean check) throws Exception {
        Path file = Files.writeString(dir.resolve("zonesync.conf"), conf);
        ParsedConfig parsed = ConfigParser.parseFile(file, dir, null);
        try {
            if (check) {
                Node.check(parsed);
            } else {
                Node.start(parsed).stop();
            }
            return null;
        } catch (ConfigException | java.io.IOException | RuntimeException e) {
            return e.getMessage();
        }
    }
}
