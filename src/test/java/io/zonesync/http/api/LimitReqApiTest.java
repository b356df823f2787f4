package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.limitreq.LimitKey;
import io.zonesync.http.limitreq.LimitReqPolicy;
import io.zonesync.http.limitreq.LimitReqZone;
import io.zonesync.http.limitreq.LimitRule;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.log.Severity;
import io.zonesync.testing.MutableClock;
import io.zonesync.testing.TestApiState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /N/http/limit_reqs[/zone]}: every response validated against doc/api/openapi.yaml. */
class LimitReqApiTest {
    private final Map<String, LimitReqZone> zones = new LinkedHashMap<>();
    private final MutableClock clock = MutableClock.uptime();
    private ApiHandler handler;

    @BeforeEach
    void setUp() {
        zones.put("one", new LimitReqZone("one", LimitReqZone.MIN_SIZE, "$k", 1000, clock));
        zones.put("two", new LimitReqZone("two", LimitReqZone.MIN_SIZE, "$k", 1000, clock));
        ApiState state = new TestApiState() {
            @Override
            public Map<String, LimitReqZone> httpLimitReqZones() {
                return zones;
            }
        };
        handler = new ApiHandler(state);
        // zone "one": one passed, one delayed, one rejected; "two": one rejected in dry run
        LimitReqPolicy p = new LimitReqPolicy(List.of(new LimitRule(zones.get("one"), ComplexValue.constant("c"), 1000,
                0)), 503, Severity.INFO, false);
        p.decide(new FakeRequest());
        p.decide(new FakeRequest());
        p.decide(new FakeRequest());
        LimitReqPolicy dry = new LimitReqPolicy(List.of(new LimitRule(zones.get("two"), ComplexValue.constant("c"), 0,
                0)), 503, Severity.INFO, true);
        dry.decide(new FakeRequest());
        dry.decide(new FakeRequest());
    }

    @Test
    void listsEveryZoneWithItsCounters() {
        ApiResponse r = ApiSpec.call(handler, "GET", "/9/http/limit_reqs/", null, false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ApiSpec.body(r)).isEqualTo("{\"one\":{\"passed\":1,\"delayed\":1,\"rejected\":1,\"delayed_dry_run\":0,"
                + "\"rejected_dry_run\":0},\"two\":{\"passed\":1,\"delayed\":0,\"rejected\":0,\"delayed_dry_run\":0,"
                + "\"rejected_dry_run\":1}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_reqs", "fields=", false))).isEqualTo("{\"one\":{},\"two\":{}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/6/http/", null, false))).isEqualTo("[\"limit_reqs\",\"keyvals\"]");
    }

    @Test
    void oneZoneWithFieldsAndAnUnknownZone() {
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_reqs/one", "fields=passed,rejected", false)))
                .isEqualTo("{\"passed\":1,\"rejected\":1}");
        ApiResponse missing = ApiSpec.call(handler, "GET", "/9/http/limit_reqs/nope", null, false);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(ApiSpec.body(missing)).contains("\"code\":\"LimitReqNotFound\"").contains("limit_req \\\"nope\\\" not found");
    }

    @Test
    void deleteResetsTheCountersButNotTheBucketsAndNeedsWrite() {
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_reqs/one", null, false).status()).isEqualTo(405);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "DELETE", "/9/http/limit_reqs/one", null, false))).contains("MethodDisabled");
        assertThat(zones.get("one").stats().passed()).isEqualTo(1);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_reqs/one", null, true).status()).isEqualTo(204);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_reqs/one", null, false))).isEqualTo("{\"passed\":0,\"delayed\":0,"
                + "\"rejected\":0,\"delayed_dry_run\":0,\"rejected_dry_run\":0}");
        assertThat(zones.get("one").storedExcess(LimitKey.of("c"))).isEqualTo(1000);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_reqs/nope", null, true).status()).isEqualTo(404);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_reqs/", null, true).status()).isEqualTo(405);
    }

    @Test
    void versionsBeforeSixHaveNoLimitReqs() {
        ApiResponse r = ApiSpec.call(handler, "GET", "/5/http/limit_reqs/", null, false);
        assertThat(r.status()).isEqualTo(404);
        assertThat(ApiSpec.body(r)).contains("PathNotFound");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/5/http/", null, false))).isEqualTo("[\"keyvals\"]");
        assertThat(ApiSpec.call(handler, "GET", "/6/http/limit_reqs/one", null, false).status()).isEqualTo(200);
        assertThat(ApiSpec.call(handler, "GET", "/9/http/limit_reqs/one/extra", null, false).status()).isEqualTo(404);
    }
}
