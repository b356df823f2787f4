package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import org.junit.jupiter.api.Test;

class ServerNameMatchingTest {

    /** Servers on one address, each answering its own name via {@code return 200 NAME}. */
    private static ServerTable table(String... servers) throws ConfigException {
        StringBuilder sb = new StringBuilder("http { access_log off;\n");
        for (int i = 0; i < servers.length; i++) {
            sb.append("server { listen 127.0.0.1:0").append(servers[i].contains("#default") ? " default_server" : "")
                    .append("; server_name ").append(servers[i].replace("#default", "")).append("; return 200 s")
                    .append(i).append("; }\n");
        }
        return TestConfigs.compile(sb.append("}").toString()).endpoints().get(0).servers();
    }

    private static String chosen(ServerTable t, String host) {
        return TestConfigs.returnText(t.find(host).serverConfig());
    }

    @Test
    void exactThenLongestLeadingWildcardThenLongestTrailingThenFirstRegexThenDefault() throws ConfigException {
        ServerTable t = table("other.test", "*.example.com", "*.www.example.com", "www.*", "www.example.*",
                "~^api\\d+\\.", "~^api", "example.com");
        assertThat(chosen(t, "example.com")).isEqualTo("s7");
        assertThat(chosen(t, "a.example.com")).isEqualTo("s1");
        assertThat(chosen(t, "a.www.example.com")).isEqualTo("s2");
        assertThat(chosen(t, "www.example.org")).isEqualTo("s4");
        assertThat(chosen(t, "www.other.org")).isEqualTo("s3");
        assertThat(chosen(t, "www.example.com")).isEqualTo("s1"); // leading wildcards before trailing
        assertThat(chosen(t, "api7.test")).isEqualTo("s5");
        assertThat(chosen(t, "apix.test")).isEqualTo("s6");
        assertThat(chosen(t, "nothing.test")).isEqualTo("s0"); // first server is the default
    }

    @Test
    void dotNameMatchesTheDomainAndItsSubdomains() throws ConfigException {
        ServerTable t = table("a.test", ".example.com");
        assertThat(chosen(t, "example.com")).isEqualTo("s1");
        assertThat(chosen(t, "x.y.example.com")).isEqualTo("s1");
        assertThat(chosen(t, "badexample.com")).isEqualTo("s0");
    }

    @Test
    void regexNamesIgnoreCaseAndDefaultServerIsHonoured() throws ConfigException {
        ServerTable t = table("a.test", "~^WWW\\.", "b.test #default");
        assertThat(chosen(t, "www.x.test")).isEqualTo("s1");
        assertThat(chosen(t, "unknown.test")).isEqualTo("s2");
    }

    @Test
    void emptyNameCatchesRequestsWithoutHost() throws ConfigException {
        ServerTable t = table("a.test", "\"\"");
        assertThat(chosen(t, "")).isEqualTo("s1");
    }

    @Test
    void theFirstServerKeepsAConflictingName() throws ConfigException {
        ServerTable t = table("a.test", "a.test b.test");
        assertThat(chosen(t, "a.test")).isEqualTo("s0");
        assertThat(chosen(t, "b.test")).isEqualTo("s1");
    }
}
