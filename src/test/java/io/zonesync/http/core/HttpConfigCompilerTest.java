package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.headers.HeaderAddition;
import io.zonesync.http.headers.HeadersModule;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpConfigCompilerTest {

    private static HttpConfig compile(String text) throws ConfigException {
        return TestConfigs.compile(text);
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> compile(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void valueErrorsNameTheValueAndTheLine() {
        assertError("http {\n server { listen 127.0.0.1:99999; } }",
                "invalid port in \"127.0.0.1:99999\" of the \"listen\" directive, it must be 0..65535 in t.conf:2");
        assertError("http {\n server { listen 80 foo; } }", "invalid parameter \"foo\" in t.conf:2");
        assertError("http { server {\n return 20x; } }", "invalid return code \"20x\" in t.conf:2");
        assertError("http { server {\n return 1000 x; } }", "invalid return code \"1000\" in t.conf:2");
        assertError("http { server {\n return /relative; } }", "invalid return code \"/relative\" in t.conf:2");
        assertError("http { server {\n location / { return 200 \"$foo\"; } } }", "unknown \"foo\" variable in t.conf:2");
        assertError("http { server {\n return 200 \"${host\"; } }",
                "the closing bracket in \"host\" variable is missing in t.conf:2");
        assertError("http { server {\n return 200 \"a$\"; } }", "invalid variable name in \"a$\" in t.conf:2");
        assertError("http { server {\n add_header X y sometimes; } }", "invalid parameter \"sometimes\" in t.conf:2");
        assertError("http { server {\n client_max_body_size 1x; } }",
                "invalid value \"1x\" in \"client_max_body_size\" directive in t.conf:2");
        assertError("http { server {\n access_log /tmp/x.log nosuch; } }", "unknown log format \"nosuch\" in t.conf:2");
        assertError("http { log_format a x;\n log_format a y; }", "duplicate \"log_format\" name \"a\" in t.conf:2");
        assertError("http { server {\n error_page 200 /x; } }", "value \"200\" must be between 300 and 599 in t.conf:2");
        assertError("http { server {\n server_name a*b; } }",
                "invalid server name or wildcard \"a*b\" in t.conf:2");
        assertError("http { server {\n server_tokens maybe; } }",
                "invalid value \"maybe\" in \"server_tokens\" directive, it must be \"on\" or \"off\" in t.conf:2");
    }

    @Test
    void listenConflictsAreRejected() {
        assertError("http { server { listen 127.0.0.1:8080 default_server; }\n"
                + " server { listen 127.0.0.1:8080 default_server; } }",
                "a duplicate default server for 127.0.0.1:8080 in t.conf:2");
        assertError("http { server { listen 127.0.0.1:8080;\n listen 127.0.0.1:8080; } }",
                "a duplicate listen 127.0.0.1:8080 in t.conf:2");
    }

    @Test
    void aWildcardAndSpecificAddressesOnOnePortShareTheWildcardSocket() throws ConfigException {
        HttpConfig c = compile("http { access_log off; server { listen 8080; return 200 any; }\n"
                + " server { listen 127.0.0.1:8080; return 200 local; }\n"
                + " server { listen 127.0.0.2:8081; } }");
        assertThat(c.endpoints()).extracting(e -> e.address().key())
                .containsExactly("0.0.0.0:8080", "127.0.0.2:8081");
        ListenEndpoint wild = c.endpoint("0.0.0.0:8080");
        assertThat(TestConfigs.returnText(wild.serversFor(new InetSocketAddress("127.0.0.1", 8080)).defaultServer()
                .serverConfig())).isEqualTo("local");
        assertThat(TestConfigs.returnText(wild.serversFor(new InetSocketAddress("10.0.0.1", 8080)).defaultServer()
                .serverConfig())).isEqualTo("any");
    }

    @Test
    void listenFormsParseAsNginxDoes() throws ConfigException {
        HttpConfig c = compile("http { access_log off; server { listen 8081; listen 127.0.0.1; listen [::1]:8082;"
                + " listen localhost:8083; listen unix:/tmp/z.sock; listen *:8084; } }");
        assertThat(c.endpoints()).extracting(e -> e.address().key()).containsExactlyInAnyOrder(
                "0.0.0.0:8081", "127.0.0.1:80", "[::1]:8082", "127.0.0.1:8083", "unix:/tmp/z.sock",
                "0.0.0.0:8084");
    }

    @Test
    void settingsInheritAsInNginx() throws ConfigException {
        HttpConfig c = compile("http { access_log off; add_header X-Http 1; client_max_body_size 2k;\n"
                + " keepalive_timeout 10s 8; default_type application/json;\n"
                + " server { listen 127.0.0.1:0; root /srv;\n"
                + "  location /a { add_header X-A 1; add_header X-B 2 always; }\n"
                + "  location /b { client_max_body_size 0; types { text/x-foo foo; } }\n"
                + " } }");
        VirtualServer s = TestConfigs.firstServer(c);
        LocationConfig a = s.locations().find("/a").location().config();
        LocationConfig b = s.locations().find("/b").location().config();
        assertThat(addedHeaders(a)).containsExactly("X-A", "X-B");
        assertThat(addedHeaders(b)).containsExactly("X-Http");
        assertThat(a.clientMaxBodySize()).isEqualTo(2048);
        assertThat(b.clientMaxBodySize()).isZero();
        assertThat(a.keepaliveTimeoutMs()).isEqualTo(10_000);
        assertThat(a.keepaliveHeaderSeconds()).isEqualTo(8);
        assertThat(a.defaultType()).isEqualTo("application/json");
        assertThat(a.types().forFileName("/x.css")).isEqualTo("text/css");
        assertThat(b.types().forFileName("/x.css")).isNull();
        assertThat(b.types().forFileName("/x.foo")).isEqualTo("text/x-foo");
        assertThat(a.root().source()).isEqualTo("/srv");
    }

    @Test
    void accessLogsDefaultToCombinedUnderThePrefixAndOffTurnsThemOff(@TempDir Path dir)
            throws ConfigException {
        HttpConfig c = TestConfigs.compile("http { log_format small '$status';\n"
                + " server { listen 127.0.0.1:0; location /q { access_log off; }\n"
                + "  location /s { access_log logs/s.log small buffer=4k if=$arg_log; } } }", dir, List.of());
        VirtualServer s = TestConfigs.firstServer(c);
        assertThat(s.serverConfig().accessLogs()).extracting(AccessLog::path)
                .containsExactly(dir.resolve("logs/access.log"));
        assertThat(s.locations().find("/q").location().config().accessLogs()).isEmpty();
        AccessLog small = s.locations().find("/s").location().config().accessLogs().get(0);
        assertThat(small.path()).isEqualTo(dir.resolve("logs/s.log"));
        assertThat(small.bufferSize()).isEqualTo(4096);
        assertThat(small.format().name()).isEqualTo("small");
        assertThat(c.accessLogs()).hasSize(2);
    }

    @Test
    void noHttpBlockMeansNothingToServe() throws ConfigException {
        assertThat(compile("").endpoints()).isEmpty();
    }

    private static List<String> addedHeaders(LocationConfig level) {
        return level.headerFilters().stream().flatMap(f -> ((HeadersModule.AddHeaders) f).additions().stream())
                .map(HeaderAddition::name).toList();
    }
}
