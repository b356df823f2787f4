package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.net.Endpoint;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.dns.ResolverStats;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.testing.TestApiState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /N/resolvers[/zone]}: every response validated against doc/api/openapi.yaml. */
class ResolversApiTest {
    private final ResolverZones zones = new ResolverZones();
    private ApiHandler handler;

    @BeforeEach
    void setUp() {
        handler = new ApiHandler(new TestApiState() {
            @Override
            public ResolverZones resolvers() {
                return zones;
            }
        });
        zones.declare(List.of("dns", "quiet"));
        ResolverStats dns = zones.of(new ResolverConf(List.of(Endpoint.inet("127.0.0.1", 53)), null, true, true,
                1000, "dns"));
        dns.asked(ResolverStats.Query.NAME);
        dns.asked(ResolverStats.Query.NAME);
        dns.asked(ResolverStats.Query.SRV);
        dns.answered(0);
        dns.answered(3);
        dns.timedOut();
    }

    private ApiResponse call(String method, String path, String query, boolean write) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, query, new byte[0],
                "0123456789abcdef0123456789abcdef", write));
        ApiSpec.check(method, path, r);
        return r;
    }

    private static String body(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static final String DNS = "{\"requests\":{\"name\":2,\"srv\":1,\"addr\":0},\"responses\":{\"noerror\":1,"
            + "\"formerr\":0,\"servfail\":0,\"nxdomain\":1,\"notimp\":0,\"refused\":0,\"timedout\":1,\"unknown\":0}}";
    private static final String ZERO = "{\"requests\":{\"name\":0,\"srv\":0,\"addr\":0},\"responses\":{\"noerror\":0,"
            + "\"formerr\":0,\"servfail\":0,\"nxdomain\":0,\"notimp\":0,\"refused\":0,\"timedout\":0,\"unknown\":0}}";

    @Test
    void listsEveryZoneOfTheConfigurationWithItsCounts() {
        assertThat(body(call("GET", "/9/resolvers/", null, false))).isEqualTo("{\"dns\":" + DNS + ",\"quiet\":" + ZERO
                + "}");
        assertThat(body(call("GET", "/9/resolvers", "fields=", false))).isEqualTo("{\"dns\":{},\"quiet\":{}}");
        assertThat(body(call("GET", "/9/", null, false))).isEqualTo("[\"nginx\",\"http\",\"stream\",\"resolvers\"]");
    }

    @Test
    void oneZoneWithFieldsAndAnUnknownZone() {
        assertThat(body(call("GET", "/9/resolvers/dns", null, false))).isEqualTo(DNS);
        assertThat(body(call("GET", "/9/resolvers/dns", "fields=requests", false)))
                .isEqualTo("{\"requests\":{\"name\":2,\"srv\":1,\"addr\":0}}");
        ApiResponse missing = call("GET", "/9/resolvers/nope", null, false);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(body(missing)).contains("\"code\":\"ResolverZoneNotFound\"");
        assertThat(call("GET", "/9/resolvers/dns/extra", null, false).status()).isEqualTo(404);
    }

    @Test
    void deleteResetsTheZoneAndNeedsWrite() {
        assertThat(body(call("DELETE", "/9/resolvers/dns", null, false))).contains("MethodDisabled");
        assertThat(body(call("GET", "/9/resolvers/dns", null, false))).isEqualTo(DNS);
        assertThat(call("DELETE", "/9/resolvers/dns", null, true).status()).isEqualTo(204);
        assertThat(body(call("GET", "/9/resolvers/dns", null, false))).isEqualTo(ZERO);
        assertThat(call("DELETE", "/9/resolvers/nope", null, true).status()).isEqualTo(404);
        assertThat(call("DELETE", "/9/resolvers/", null, true).status()).isEqualTo(405);
        assertThat(call("PATCH", "/9/resolvers/dns", null, true).status()).isEqualTo(405);
    }

    @Test
    void versionsBeforeFiveHaveNoResolvers() {
        ApiResponse r = call("GET", "/4/resolvers/", null, false);
        assertThat(r.status()).isEqualTo(404);
        assertThat(body(r)).contains("PathNotFound");
        assertThat(body(call("GET", "/4/", null, false))).isEqualTo("[\"nginx\",\"http\",\"stream\"]");
        assertThat(call("GET", "/5/resolvers/dns", null, false).status()).isEqualTo(200);
    }
}
