package io.zonesync.http.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.http.vars.VariableRegistry;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    private final VariableRegistry vars = new VariableRegistry();
    private final FakeRequest req = new FakeRequest();

    LogFormatTest() {
        new CoreVariables(ZoneOffset.UTC).defineVariables(vars);
    }

    private LogFormat format(String... args) throws ConfigException {
        return LogFormat.compile(new Directive("log_format", List.of(args), new SourceLocation("l.conf", 1), null), vars);
    }

    @Test
    void combinedLooksLikeNginxs() {
        req.requestUri = "/x?y=1";
        req.header("User-Agent", "ua \"quoted\"\u0001");
        assertThat(LogFormat.combined(vars).format(req)).isEqualTo(
                "192.0.2.7 - - [14/Nov/2023:22:13:20 +0000] \"GET /x?y=1 HTTP/1.1\" 200 100 \"-\" "
                        + "\"ua \\x22quoted\\x22\\x01\"");
    }

    @Test
    void jsonEscapingAndMissingValues() throws ConfigException {
        req.header("X-A", "line\nbreak \"q\" \\ \u0002");
        LogFormat f = format("j", "escape=json", "{\"a\":\"$http_x_a\",", "\"m\":\"$http_missing\"}");
        assertThat(f.format(req)).isEqualTo("{\"a\":\"line\\nbreak \\\"q\\\" \\\\ \\u0002\",\"m\":\"\"}");
        assertThat(format("n", "escape=none", "$http_x_a|$http_missing").format(req))
                .isEqualTo("line\nbreak \"q\" \\ \u0002|-");
    }

    @Test
    void bytesAboveAsciiAreHexEscapedByDefault() throws ConfigException {
        req.uri = "/caf\u00c3\u00a9";
        assertThat(format("d", "$uri").format(req)).isEqualTo("/caf\\xC3\\xA9");
    }
}
