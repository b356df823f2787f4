package io.zonesync.http.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.http.proxy.UpstreamVariables;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchSpecTest {

    private static MatchSpec match(String body) throws ConfigException {
        VariableRegistry variables = VariableRegistry.withCoreVariables();
        new UpstreamVariables().defineVariables(variables);
        return MatchSpec.parse(ConfigParser.parseString("match m {\n" + body + "\n}", "t.conf").first("match"),
                variables);
    }

    private static ProbeResponse response(int status, String body, String... headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.computeIfAbsent(headers[i].toLowerCase(), k -> new java.util.ArrayList<>()).add(headers[i + 1]);
        }
        return new ProbeResponse(status, h, body);
    }

    @Test
    void withoutMatchA2xxOr3xxPasses() {
        assertThat(MatchSpec.DEFAULT.test(response(200, ""))).isTrue();
        assertThat(MatchSpec.DEFAULT.test(response(302, ""))).isTrue();
        assertThat(MatchSpec.DEFAULT.test(response(404, ""))).isFalse();
        assertThat(MatchSpec.DEFAULT.test(response(500, ""))).isFalse();
        assertThat(MatchSpec.DEFAULT.test(response(199, ""))).isFalse();
    }

    @Test
    void statusCodesRangesAndNegation() throws ConfigException {
        MatchSpec m = match("status 200 204 301-303;");
        assertThat(m.test(response(204, ""))).isTrue();
        assertThat(m.test(response(302, ""))).isTrue();
        assertThat(m.test(response(201, ""))).isFalse();
        MatchSpec not = match("status ! 500-599;");
        assertThat(not.test(response(404, ""))).isTrue();
        assertThat(not.test(response(503, ""))).isFalse();
    }

    @Test
    void headerConditions() throws ConfigException {
        ProbeResponse r = response(200, "", "Content-Type", "text/html; charset=utf-8", "X-Ok", "yes");
        assertThat(match("header Content-Type ~ \"^text/html\";").test(r)).isTrue();
        assertThat(match("header Content-Type !~ html;").test(r)).isFalse();
        assertThat(match("header X-Ok = yes;").test(r)).isTrue();
        assertThat(match("header X-Ok != yes;").test(r)).isFalse();
        assertThat(match("header x-ok;").test(r)).as("names are case-insensitive").isTrue();
        assertThat(match("header X-Missing;").test(r)).isFalse();
        assertThat(match("header ! X-Accel-Redirect;").test(r)).isTrue();
        assertThat(match("header ! X-Ok;").test(r)).isFalse();
    }

    @Test
    void bodyAndAllConditionsTogether() throws ConfigException {
        MatchSpec m = match("status 200; header Content-Type = text/plain; body ~ \"Welcome to .*!\"; body !~ maintenance;");
        assertThat(m.test(response(200, "<p>Welcome to nginx!</p>", "Content-Type", "text/plain"))).isTrue();
        assertThat(m.test(response(200, "Welcome to nginx! maintenance", "Content-Type", "text/plain"))).isFalse();
        assertThat(m.test(response(500, "Welcome to nginx!", "Content-Type", "text/plain"))).isFalse();
        assertThat(m.test(response(200, "Welcome to nginx!", "Content-Type", "text/html"))).isFalse();
    }

    @Test
    void requireWantsEveryVariableNeitherEmptyNorZero() throws ConfigException {
        MatchSpec m = match("require $upstream_http_x_ready $upstream_status;");
        assertThat(m.test(new ProbeResponse(200, Map.of("x-ready", List.of("yes")), "", "127.0.0.1:1", null)))
                .isTrue();
        assertThat(m.test(new ProbeResponse(200, Map.of("x-ready", List.of("0")), "", "127.0.0.1:1", null))).isFalse();
        assertThat(m.test(new ProbeResponse(200, Map.of(), "", "127.0.0.1:1", null))).isFalse();
        MatchSpec addr = match("require $upstream_addr;");
        assertThat(addr.test(new ProbeResponse(200, Map.of(), "", "127.0.0.1:1", null))).isTrue();
        MatchSpec client = match("require $remote_addr;");
        assertThat(client.test(new ProbeResponse(200, Map.of(), "", "127.0.0.1:1", null)))
                .as("a check has no client").isFalse();
        MatchSpec host = match("require $host $request_uri;");
        assertThat(host.test(new ProbeResponse(200, Map.of(), "", "127.0.0.1:1",
                new HealthProbe.ProbeRequest("backend", "/health", 1, 1)))).as("the check's own request").isTrue();
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> match("status 2x0;")).hasMessageContaining("invalid status \"2x0\"")
                .hasMessageContaining("t.conf:2");
        assertThatThrownBy(() -> match("header A >= b;")).hasMessageContaining("invalid operator \">=\"");
        assertThatThrownBy(() -> match("body = x;")).hasMessageContaining("invalid operator \"=\"");
        assertThatThrownBy(() -> match("body ~ \"(\";")).hasMessageContaining("invalid regular expression \"(\"");
        assertThatThrownBy(() -> match("require $nope;")).hasMessageContaining("unknown \"nope\" variable")
                .hasMessageContaining("t.conf:2");
        assertThatThrownBy(() -> match("require x;")).hasMessageContaining("invalid variable name \"x\"");
        assertThatThrownBy(() -> match("require;")).hasMessageContaining("invalid number of arguments");
        assertThatThrownBy(() -> match("bogus 1;")).hasMessageContaining("unknown directive \"bogus\"");
    }
}
