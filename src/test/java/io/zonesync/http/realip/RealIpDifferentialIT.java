package io.zonesync.http.realip;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * realip and {@code listen ... proxy_protocol} against Debian's nginx: X-Forwarded-For walked with
 * and without recursion, X-Real-IP, another field, untrusted peers, a location's settings (applied
 * after its rewrite phase, before allow/deny), and PROXY v1/v2 headers, good and broken, with
 * {@code real_ip_header proxy_protocol}. Ports the test client picks are printed as "ephemeral".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealIpDifferentialIT {
    private static final String SHOW = "[$remote_addr] [$rp] [$realip_remote_addr] [$rrp] [$proxy_protocol_addr] "
            + "[$proxy_protocol_port] [$proxy_protocol_server_addr] [$proxy_protocol_server_port] [$net]";
    private static final String MAPS = """
            access_log off;
            map $remote_port $rp { "" none; ~^(0|80|443|1111|1234|8080|65535)$ $remote_port; default ephemeral; }
            map $realip_remote_port $rrp { "" none; default ephemeral; }
            geo $net { default other; 10.0.0.0/8 ten; 192.0.2.0/24 doc; 2001:db8::/32 doc6; 127.0.0.1 me; }
            """;

    private Differential headers;
    private Differential proxy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        headers = Differential.start(dir.resolve("headers"), MAPS + """
                set_real_ip_from 127.0.0.1;
                set_real_ip_from 10.0.0.0/8;
                set_real_ip_from 2001:db8::/32;
                server { listen LISTEN; server_name xff; real_ip_header X-Forwarded-For;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name xffr; real_ip_header X-Forwarded-For; real_ip_recursive on;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name xri;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name xrir; real_ip_recursive on;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name field; real_ip_header X-Client;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name lower; real_ip_header x-forwarded-for; real_ip_recursive on;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name untrusted; set_real_ip_from 192.0.2.1;
                    real_ip_header X-Forwarded-For; location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name unix; set_real_ip_from unix:;
                    real_ip_header X-Forwarded-For; location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name loc; real_ip_header X-Forwarded-For;
                    location / { set_real_ip_from 127.0.0.1; return 200 "SHOW"; }
                    location /acl { set_real_ip_from 127.0.0.1; allow 10.0.0.0/8; deny all;
                        add_header X-Remote "$remote_addr $net" always; try_files /none =404; }
                    location /set { set_real_ip_from 127.0.0.1; set $before $remote_addr;
                        add_header X-Remote "$before -> $remote_addr" always; try_files /none =404; } }
                """.replace("SHOW", SHOW));
        proxy = Differential.start(dir.resolve("proxy"), MAPS + """
                server { listen LISTEN proxy_protocol; server_name pp;
                    location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name ppreal; set_real_ip_from 127.0.0.1;
                    real_ip_header proxy_protocol; location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name ppuntrusted; set_real_ip_from 10.0.0.0/8;
                    real_ip_header proxy_protocol; location / { return 200 "SHOW"; } }
                server { listen LISTEN; server_name ppxff; set_real_ip_from 127.0.0.1; set_real_ip_from 10.0.0.0/8;
                    real_ip_header X-Forwarded-For; real_ip_recursive on; location / { return 200 "SHOW"; } }
                """.replace("SHOW", SHOW));
    }

    @AfterAll
    void stop() {
        try {
            if (headers != null) {
                headers.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    static List<String> forwarded() {
        return List.of("10.1.1.1", "192.0.2.5", "10.1.1.1, 192.0.2.5", "192.0.2.5, 10.1.1.1",
                "192.0.2.5, 10.1.1.1, 10.2.2.2", "192.0.2.5,10.1.1.1", "bogus", "192.0.2.5, bogus", "bogus, 10.1.1.1",
                "bogus, 192.0.2.8, 10.1.1.1", "2001:db8::1", "192.0.2.9, 2001:db8::5", "2001:DB8:0:0::7",
                "[2001:db8::1]:8080", "192.0.2.7:1234", "192.0.2.7:0", "192.0.2.7:65536", "[2001:db8::1]",
                "::ffff:192.0.2.1", " 192.0.2.1", "192.0.2.1,", "192.0.2.1 ,  10.0.0.1 , ", ",", "10.0.0.1/8",
                "1.2.3", "256.1.1.1", "localhost", "192.0.2.1 10.0.0.3");
    }

    static List<String> hosts() {
        return List.of("xff", "xffr", "xri", "xrir", "field", "lower", "untrusted", "unix", "loc");
    }

    static List<Object[]> headerCases() {
        List<Object[]> out = new java.util.ArrayList<>();
        for (String host : hosts()) {
            for (String v : forwarded()) {
                out.add(new Object[] {host, v});
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("headerCases")
    void findsTheClientInAHeaderAsNginxDoes(String host, String value) throws Exception {
        for (String field : List.of("X-Forwarded-For", "X-Real-IP", "X-Client")) {
            assertSame(headers, get(host, "/", field + ": " + value + "\r\n"), host + " " + field + ": " + value);
        }
    }

    static List<String> lines() {
        return List.of("X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: 10.0.0.1\r\n",
                "X-Forwarded-For: 192.0.2.1, 10.0.0.2\r\nX-Forwarded-For: 10.0.0.1\r\n",
                "X-Forwarded-For: 10.0.0.4\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n",
                "X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: bogus\r\n",
                "X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: 10.0.0.1, bogus\r\n",
                "X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: bogus, 10.0.0.3\r\n",
                "X-Real-IP: 192.0.2.1\r\nX-Real-IP: 192.0.2.2\r\n",
                "X-Client: 192.0.2.1\r\nX-Client: 192.0.2.2\r\n");
    }

    static List<Object[]> lineCases() {
        List<Object[]> out = new java.util.ArrayList<>();
        for (String host : hosts()) {
            for (String v : lines()) {
                out.add(new Object[] {host, v});
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("lineCases")
    void walksSeveralHeaderLinesAsNginxDoes(String host, String lines) throws Exception {
        assertSame(headers, get(host, "/", lines), host + " " + lines);
    }

    @ParameterizedTest
    @MethodSource("forwarded")
    void aLocationsSettingsApplyAfterItsRewritePhaseAndBeforeAllowDeny(String value) throws Exception {
        for (String uri : List.of("/", "/acl", "/set")) {
            assertSame(headers, get("loc", uri, "X-Forwarded-For: " + value + "\r\n"), uri + " " + value);
        }
    }

    static List<String> proxyHeaders() {
        return List.of("PROXY TCP4 192.0.2.1 198.51.100.1 1111 80\r\n",
                "PROXY TCP4 10.0.0.1 198.51.100.1 1111 443\r\n",
                "PROXY TCP6 2001:db8::1 2001:db8::2 1111 443\r\n",
                "PROXY TCP6 2001:DB8:0:0::1 2001:db8::2 65535 443\r\n",
                "PROXY UNKNOWN\r\n", "PROXY UNKNOWN 192.0.2.1 198.51.100.1 1111 80\r\n",
                v2(0x21, 0x11, new byte[] {(byte) 192, 0, 2, 1}, new byte[] {(byte) 198, 51, 100, 1}, 1111, 80, 0),
                v2(0x21, 0x21, v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2), 1111, 443, 0),
                v2(0x21, 0x11, new byte[] {10, 0, 0, 1}, new byte[] {(byte) 198, 51, 100, 1}, 1234, 80, 7),
                v2(0x20, 0x00, new byte[0], new byte[0], -1, -1, 0),
                v2(0x21, 0x00, new byte[0], new byte[0], -1, -1, 0));
    }

    static List<Object[]> proxyCases() {
        List<Object[]> out = new java.util.ArrayList<>();
        for (String host : List.of("pp", "ppreal", "ppuntrusted", "ppxff")) {
            for (String h : proxyHeaders()) {
                out.add(new Object[] {host, h});
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("proxyCases")
    void readsThePROXYHeaderAsNginxDoes(String host, String header) throws Exception {
        for (String xff : List.of("", "X-Forwarded-For: 192.0.2.77, 10.9.9.9\r\n")) {
            assertSame(proxy, header + request(host, "/", xff), host + " " + printable(header) + " " + xff);
        }
    }

    static List<String> brokenHeaders() {
        return List.of("", "PROXY TCP4 192.0.2.1\r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 1111\r\n",
                "PROXY TCP4 192.0.2.1 198.51.100.1 1111 80 9\r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 x 80\r\n",
                "PROXY TCP4 192.0.2.1 198.51.100.1 1111 99999\r\n", "PROXY TCP4 bad! 198.51.100.1 1111 80\r\n",
                "PROXY TCP5 192.0.2.1 198.51.100.1 1111 80\r\n", "proxy TCP4 192.0.2.1 198.51.100.1 1111 80\r\n",
                "PROXY TCP4 192.0.2.1 198.51.100.1 1111 80 " + "x".repeat(120) + "\r\n");
    }

    @ParameterizedTest
    @MethodSource("brokenHeaders")
    void closesAConnectionWithoutAGoodHeaderAsNginxDoes(String header) throws Exception {
        String what = printable(header);
        assertThat(proxy.closedWithoutAnswer(header + request("pp", "/", ""))).as(what).containsExactly(true, true);
        assertSame(proxy, "PROXY TCP4 192.0.2.1 198.51.100.1 1111 80\r\n" + request("pp", "/", ""),
                "still serving after " + what);
    }

    private static String get(String host, String uri, String extra) {
        return request(host, uri, extra);
    }

    private static String request(String host, String uri, String extra) {
        return "GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n";
    }

    private void assertSame(Differential servers, String request, String what) throws IOException {
        Differential.Pair p = servers.both(request);
        assertThat(p.zonesync()).as("%s%nnginx's error log:%n%s", what, servers.nginxErrors()).isEqualTo(p.nginx());
    }

    /** A v2 header: command byte, family byte, addresses, ports (-1 for none), and {@code tlv} bytes of a TLV. */
    private static String v2(int command, int family, byte[] src, byte[] dst, int srcPort, int dstPort, int tlv) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(src);
        body.writeBytes(dst);
        if (srcPort >= 0) {
            body.write(srcPort >> 8);
            body.write(srcPort);
            body.write(dstPort >> 8);
            body.write(dstPort);
        }
        if (tlv > 0) {
            body.write(0x04); // PP2_TYPE_NOOP
            body.write(0);
            body.write(tlv);
            body.writeBytes(new byte[tlv]);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        out.write(command);
        out.write(family);
        out.write(body.size() >> 8);
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] v6(int... groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return b;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
