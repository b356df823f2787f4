package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.TestDnsServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code proxy_pass} with variables against Debian's nginx: a value naming an upstream block, an
 * address, a name looked up through {@code resolver} (a test DNS server), an unknown name, no
 * resolver at all (502 and nginx's log line), and nginx's URI rules (a URI part replaces the
 * whole request URI, query included; without one the request URI goes as sent).
 */
class ProxyPassVariablesDifferentialIT extends DifferentialSuite {
    private Nginx backend;
    private TestDnsServer dns;

    @Override
    protected Differential start(Path dir) throws Exception {
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "uri=$request_uri host=$host"; }
                }
                """);
        int port = backend.port();
        dns = TestDnsServer.start();
        dns.records("backend.test", 60, "127.0.0.2");
        dns.records("cached.test", 60, "127.0.0.2");
        String resolver = "127.0.0.1:" + dns.address().getPort() + " ipv6=off";
        return Differential.start(dir, """
                access_log off;
                upstream pool { server 127.0.0.2:%1$d; }
                server {
                    listen LISTEN;
                    location /group/ { set $b pool; proxy_pass http://$b; }
                    location /addr/ { set $b 127.0.0.2:%1$d; proxy_pass http://$b/fixed/path?x=1; }
                    location /slash/ { set $b 127.0.0.2:%1$d; proxy_pass http://$b/; }
                    location /noresolver/ { proxy_pass http://backend.test:%1$d$request_uri; }
                    location /resolved/ { resolver %2$s; set $h backend.test; proxy_pass http://$h:%1$d; }
                    location /hosturi/ { resolver %2$s; proxy_pass http://$arg_h:%1$d/u$uri; }
                    location /rewritten/ {
                        resolver %2$s; rewrite ^/rewritten/(.*)$ /new/$1 break; proxy_pass http://$arg_h:%1$d;
                    }
                }
                """.formatted(port, resolver));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    static List<String> requests() {
        return List.of("/group/a?q=1", "/addr/a?q=1", "/slash/a/b?q=1", "/noresolver/a", "/resolved/a?q=1",
                "/hosturi/a%20b?h=backend.test", "/hosturi/a?h=missing.test", "/hosturi/a?h=127.0.0.2",
                "/rewritten/x?h=backend.test&y=2");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void proxiesAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.get(target), "GET " + target);
    }

    @Test
    void theAnswersComparedCameFromTheBackend() throws Exception {
        assertThat(servers.get("/addr/a?q=1").zonesync().body()).startsWith("uri=/fixed/path?x=1 ");
        assertThat(servers.get("/resolved/a?q=1").zonesync().body()).startsWith("uri=/resolved/a?q=1 host=backend.test");
        assertThat(servers.get("/noresolver/a").zonesync().status()).isEqualTo(502);
        assertThat(servers.get("/hosturi/a?h=missing.test").zonesync().status()).isEqualTo(502);
    }

    @Test
    void aRequestBodyWaitsForTheLookup() throws Exception {
        String post = "POST /resolved/p HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        Differential.Pair p = servers.both(post);
        assertSameAnswers(p, post);
        assertThat(p.zonesync().status()).isEqualTo(200);
    }

    @Test
    void answersAreKeptForTheirTtl() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertSameAnswers(servers.get("/hosturi/c?h=cached.test"), "GET /hosturi/c?h=cached.test");
        }
        // one question from each server: both keep the 60-second answer
        assertThat(dns.questions().stream().filter(q -> q.name().startsWith("cached.test"))).hasSize(2);
    }

    @Test
    void logsAMissingResolverAsNginxDoes() throws Exception {
        try (LogCapture log = new LogCapture()) {
            servers.get("/noresolver/b");
            assertThat(log.lines()).anyMatch(l -> l.contains("no resolver defined to resolve backend.test"));
        }
        assertThat(servers.nginxErrors()).contains("no resolver defined to resolve backend.test");
    }
}
