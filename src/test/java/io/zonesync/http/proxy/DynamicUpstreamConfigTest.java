package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What -t says of dynamic upstreams: resolve, service=, drain, zone without servers, state files;
 * every error names FILE:LINE.
 */
class DynamicUpstreamConfigTest {
    @TempDir
    Path dir;

    private ParsedConfig config(String httpLines, String upstreamBody) throws Exception {
        return ProxyNodes.parse(dir, "http {\n" + httpLines + "\n upstream backend {\n" + upstreamBody + "\n }\n"
                + " server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }\n}\n");
    }

    private ConfigException error(String httpLines, String upstreamBody) throws Exception {
        ParsedConfig parsed = config(httpLines, upstreamBody);
        try {
            Node.check(parsed);
        } catch (ConfigException e) {
            assertThat(e.where()).isNotNull();
            return e;
        }
        throw new AssertionError("no error for: " + upstreamBody);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resolver 127.0.0.1;|server backend.test resolve;|4|resolving names at run time requires upstream \"backend\" to be in shared memory",
        "|zone z 64k; server backend.test resolve;|4|no resolver defined to resolve names at run time in upstream \"backend\"",
        "resolver 127.0.0.1;|zone z 64k; server backend.test service=http;|4|service name \"http\" requires \"resolve\" parameter",
        "resolver 127.0.0.1;|zone z 64k; server backend.test:80 service=http resolve;|4|service with port is not supported",
        "resolver 127.0.0.1;|zone z 64k; server backend.test service= resolve;|4|invalid parameter \"service=\"",
        "|hash $uri; server 127.0.0.1:1 slow_start=10s;|4|balancing method does not support parameter \"slow_start\"",
        "|server 127.0.0.1:1 slow_start=ten;|4|invalid parameter \"slow_start=ten\"",
        "|server 127.0.0.1:1; queue 10 wait=5s;|4|invalid parameter \"wait=5s\"",
        "|server 127.0.0.1:1; queue 0;|4|\"queue\"",
        "|server 127.0.0.1:1; least_time body;|4|invalid parameter \"body\"",
        "|state up.state;|4|\"state\" requires upstream \"backend\" to be in shared memory",
        "|zone z 64k; state up.state; server 127.0.0.1:1;|4|\"server\" directive is incompatible with \"state\" directive",
        "|keepalive 2;|3|no servers are inside upstream",
    })
    void errors(String http, String upstream, int line, String message) throws Exception {
        ConfigException e = error(http == null ? "" : http, upstream);
        assertThat(e.where().file()).endsWith(".conf");
        assertThat(e.where().line()).isEqualTo(line);
        assertThat(e.getMessage()).contains(message);
    }

    @Test
    void theAdminGuidesStickyExampleChecks() throws Exception {
        assertThatCode(() -> Node.check(config("resolver 127.0.0.1:53 valid=5s;", """
                zone my_backend 64k;
                server backends.example.com resolve;
                sticky learn zone=sessions:1m create=$upstream_cookie_session lookup=$cookie_session sync;
                """))).doesNotThrowAnyException();
    }

    @Test
    void anUpstreamMayHaveItsOwnResolver() throws Exception {
        assertThatCode(() -> Node.check(config("", "zone z 64k; resolver 127.0.0.1:5353 valid=5s;"
                + " resolver_timeout 2s; server backends.test resolve;"))).doesNotThrowAnyException();
        ConfigException e = error("", "zone z 64k; resolver valid=5s; server backends.test resolve;");
        assertThat(e.getMessage()).contains("no name servers defined");
        assertThat(e.where().line()).isEqualTo(4);
    }

    @Test
    void aZoneMayHaveNoServersAndDrainIsAccepted() throws Exception {
        assertThatCode(() -> Node.check(config("", "zone z 64k;"))).doesNotThrowAnyException();
        assertThatCode(() -> Node.check(config("", "zone z 64k; server 127.0.0.1:1 drain;")))
                .doesNotThrowAnyException();
    }

    @Test
    void aStateFileGivesTheServersAndItsErrorsNameItsLines() throws Exception {
        Files.writeString(dir.resolve("up.state"), "server 127.0.0.1:1 weight=2;\nserver 127.0.0.1:2 backup;\n");
        assertThatCode(() -> Node.check(config("", "zone z 64k; state up.state;"))).doesNotThrowAnyException();
        Files.writeString(dir.resolve("up.state"), "server 127.0.0.1:1;\nserver 127.0.0.1:2 bogus;\n");
        ConfigException e = error("", "zone z 64k; state up.state;");
        assertThat(e.where().file()).isEqualTo(dir.resolve("up.state").toString());
        assertThat(e.where().line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("invalid parameter \"bogus\"");
    }

    @Test
    void upstreamsMayShareAZoneAsInNginx() throws Exception {
        ParsedConfig parsed = ProxyNodes.parse(dir, "http {\n upstream a { zone shared 64k; server 127.0.0.1:1; }\n"
                + " upstream b { zone shared; server 127.0.0.1:2; }\n"
                + " server { listen 127.0.0.1:0; location / { proxy_pass http://a; } location /b { proxy_pass http://b; } }\n"
                + "}\n");
        assertThatCode(() -> Node.check(parsed)).doesNotThrowAnyException();
    }
}
