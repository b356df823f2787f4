package io.zonesync.http.realip;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.net.TrustedAddresses;
import io.zonesync.testing.LogCapture;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The realip directives and {@code listen ... proxy_protocol} are checked as nginx checks them, in its words. */
class RealIpConfigTest {

    private static HttpConfig compile(String http) throws ConfigException {
        RealIpModule m = new RealIpModule();
        return TestConfigs.compile("http { access_log off; " + http + " }",
                Path.of(System.getProperty("java.io.tmpdir")), List.of(m), m);
    }

    private static void assertError(String http, String message) {
        assertThatThrownBy(() -> compile(http)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void addressesThatAreNeitherNetworksNorHostsAreRefused() {
        assertError("set_real_ip_from 1.2.3.4/33;", "host not found in set_real_ip_from \"1.2.3.4/33\" in t.conf:1");
        assertError("set_real_ip_from ::1/129;", "host not found in set_real_ip_from \"::1/129\"");
        assertError("set_real_ip_from unix:/x;", "host not found in set_real_ip_from \"unix:/x\"");
        assertError("set_real_ip_from all;", "host not found in set_real_ip_from \"all\"");
        assertError("server { location / { set_real_ip_from 1.2.3.4.5; } }",
                "host not found in set_real_ip_from \"1.2.3.4.5\"");
    }

    @Test
    void theOtherDirectivesAreCheckedAsNginxChecksThem() {
        assertError("real_ip_header a b;", "invalid number of arguments in \"real_ip_header\" directive");
        assertError("real_ip_header X-Forwarded-For; real_ip_header X-Real-IP;",
                "\"real_ip_header\" directive is duplicate");
        assertError("real_ip_recursive maybe;",
                "invalid value \"maybe\" in \"real_ip_recursive\" directive, it must be \"on\" or \"off\"");
        assertError("server { listen 127.0.0.1:1 proxy_protocol=on; }", "invalid parameter \"proxy_protocol=on\"");
    }

    @Test
    void networksHostsAndUnixAreTrusted() throws ConfigException {
        try (LogCapture logs = new LogCapture()) {
            compile("set_real_ip_from 10.1.2.3/8; set_real_ip_from localhost; set_real_ip_from unix:;"
                    + " set_real_ip_from 2001:db8::/32; server { listen 127.0.0.1:1; } server { listen 127.0.0.1:2; }");
            assertThat(logs.count("low address bits of 10.1.2.3/8 are meaningless in t.conf:1")).isEqualTo(1);
        }
        TrustedAddresses t = TrustedAddresses.parse(List.of());
        assertThat(t.isEmpty()).isTrue();
    }

    @Test
    void listensOnOneAddressReadPROXYWhenAnyOfThemSaysSo() throws ConfigException {
        HttpConfig c = compile("server { listen 127.0.0.1:8090; server_name a; }"
                + " server { listen 127.0.0.1:8090 proxy_protocol; server_name b; }"
                + " server { listen 127.0.0.1:8091; }"
                + " server { listen 8092 proxy_protocol; } server { listen 127.0.0.1:8092; }"
                + " server { listen 8093; } server { listen 127.0.0.1:8093 proxy_protocol; }");
        assertThat(c.endpoints()).anySatisfy(e -> {
            assertThat(e.address().key()).isEqualTo("127.0.0.1:8090");
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.1", 8090))).isTrue();
        }).anySatisfy(e -> {
            assertThat(e.address().key()).isEqualTo("127.0.0.1:8091");
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.1", 8091))).isFalse();
        }).anySatisfy(e -> {
            assertThat(e.address().port()).isEqualTo(8092);
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.2", 8092))).isTrue();
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.1", 8092))).isFalse();
        }).anySatisfy(e -> {
            assertThat(e.address().port()).isEqualTo(8093);
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.2", 8093))).isFalse();
            assertThat(e.proxyProtocolFor(new InetSocketAddress("127.0.0.1", 8093))).isTrue();
        });
    }
}
