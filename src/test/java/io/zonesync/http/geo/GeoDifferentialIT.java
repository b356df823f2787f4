package io.zonesync.http.geo;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** geo against Debian's nginx: networks, ranges, delete, default, and addresses that are not addresses. */
class GeoDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                geo $arg_ip $net {
                    default none;
                    10.0.0.0/8 ten;
                    10.1.0.0/16 ten-one;
                    10.1.2.3 host;
                    192.168.0.0/16 lan;
                    192.168.5.0/24 gone;
                    delete 192.168.5.0/24;
                    ::1 loopback6;
                    2001:db8::/32 doc;
                    2001:db8:1::/48 doc-one;
                }
                geo $arg_ip $range {
                    ranges;
                    default outside;
                    10.0.0.0-10.0.0.255 first;
                    10.0.1.0-10.0.1.10 second;
                    127.0.0.1-127.0.0.1 local;
                }
                geo $nodefault { 10.0.0.0/8 ten; }
                geo $client { default other; 127.0.0.1 me; }
                geo $proxied { default other; proxy 127.0.0.1; 10.0.0.0/8 ten; 192.0.2.1 doc; 127.0.0.1 me; }
                geo $recursive { default other; proxy 127.0.0.0/8; proxy 10.0.0.0/8; proxy_recursive;
                                 10.0.0.0/8 ten; 192.0.2.0/24 doc; 127.0.0.1 me; }
                geo $arg_ip $given { default other; proxy 192.0.2.0/24; 10.0.0.0/8 ten; }
                server {
                    listen LISTEN;
                    location / { return 200 "[$net] [$range] [$nodefault] [$client]"; }
                    location /proxied { return 200 "[$proxied] [$recursive] [$given]"; }
                }
                """);
    }

    static List<String> ips() {
        return List.of("10.9.9.9", "10.1.9.9", "10.1.2.3", "10.1.2.4", "192.168.5.5", "192.168.6.1", "8.8.8.8",
                "::1", "2001:db8::5", "2001:db8:1::5", "2001:db9::1", "::ffff:10.1.2.3", "10.0.0.50", "10.0.0.150",
                "10.0.1.5", "10.0.1.11", "127.0.0.1", "not-an-ip", "", "10.0.0.0/8", "255.255.255.255");
    }

    @ParameterizedTest
    @MethodSource("ips")
    void looksUpAsNginxDoes(String ip) throws Exception {
        String target = "/?ip=" + ip;
        assertSameAnswers(servers.get(target), target);
    }

    static List<String> forwarded() {
        return List.of("", "X-Forwarded-For: 10.1.1.1\r\n", "X-Forwarded-For: 192.0.2.1, 10.1.1.1\r\n",
                "X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: 10.1.1.1\r\n", "X-Forwarded-For: junk, 10.2.2.2\r\n",
                "X-Forwarded-For: 2001:db8::1\r\n", "X-Forwarded-For: 192.0.2.1:8080\r\n",
                "X-Forwarded-For: 10.3.3.3, junk\r\n", "X-Forwarded-For: \r\n");
    }

    @ParameterizedTest
    @MethodSource("forwarded")
    void proxiesAreLookedThroughAsNginxDoes(String header) throws Exception {
        for (String ip : List.of("", "192.0.2.9", "10.0.0.1")) {
            String request = "GET /proxied?ip=" + ip + " HTTP/1.1\r\nHost: geo.test\r\n" + header
                    + "Connection: close\r\n\r\n";
            assertSameAnswers(servers.both(request), request);
        }
    }
}
