package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.net.LimitConnCounts;
import io.zonesync.testing.TestApiState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /N/http/limit_conns[/zone]} and {@code /N/stream/limit_conns[/zone]}: every response validated against doc/api/openapi.yaml. */
class LimitConnApiTest {
    private final Map<String, LimitConnCounts> http = new LinkedHashMap<>();
    private final Map<String, LimitConnCounts> stream = new LinkedHashMap<>();
    private ApiHandler handler;

    @BeforeEach
    void setUp() {
        http.put("perip", new LimitConnCounts());
        http.put("dry", new LimitConnCounts());
        stream.put("tcp", new LimitConnCounts());
        // "perip": two passed, one rejected; "dry": one rejected in dry run; "tcp": one passed, two rejected
        http.get("perip").passed();
        http.get("perip").passed();
        http.get("perip").rejected(false);
        http.get("dry").rejected(true);
        stream.get("tcp").passed();
        stream.get("tcp").rejected(false);
        stream.get("tcp").rejected(false);
        handler = new ApiHandler(new TestApiState() {
            @Override
            public Map<String, LimitConnCounts> httpLimitConns() {
                return http;
            }

            @Override
            public Map<String, LimitConnCounts> streamLimitConns() {
                return stream;
            }
        });
    }

    @Test
    void listsEveryZoneWithItsCounters() {
        ApiResponse r = ApiSpec.call(handler, "GET", "/9/http/limit_conns/", null, false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ApiSpec.body(r)).isEqualTo("{\"dry\":{\"passed\":0,\"rejected\":0,\"rejected_dry_run\":1},"
                + "\"perip\":{\"passed\":2,\"rejected\":1,\"rejected_dry_run\":0}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_conns", "fields=", false))).isEqualTo("{\"dry\":{},\"perip\":{}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/stream/limit_conns/", null, false)))
                .isEqualTo("{\"tcp\":{\"passed\":1,\"rejected\":2,\"rejected_dry_run\":0}}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/6/http/", null, false))).isEqualTo("[\"limit_conns\",\"limit_reqs\",\"keyvals\"]");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/6/stream/", null, false))).isEqualTo("[\"limit_conns\",\"keyvals\"]");
    }

    @Test
    void oneZoneWithFieldsAndAnUnknownZone() {
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_conns/perip", "fields=passed,rejected", false)))
                .isEqualTo("{\"passed\":2,\"rejected\":1}");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/stream/limit_conns/tcp", "fields=rejected", false))).isEqualTo("{\"rejected\":2}");
        ApiResponse missing = ApiSpec.call(handler, "GET", "/9/http/limit_conns/nope", null, false);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(ApiSpec.body(missing)).contains("\"code\":\"LimitConnNotFound\"").contains("limit_conn \\\"nope\\\" not found");
        // the blocks' zones are apart: an http zone is not a stream one
        assertThat(ApiSpec.call(handler, "GET", "/9/stream/limit_conns/perip", null, false).status()).isEqualTo(404);
    }

    @Test
    void deleteResetsTheCountersAndNeedsWrite() {
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_conns/perip", null, false).status()).isEqualTo(405);
        assertThat(http.get("perip").passedCount()).isEqualTo(2);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_conns/perip", null, true).status()).isEqualTo(204);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_conns/perip", null, false)))
                .isEqualTo("{\"passed\":0,\"rejected\":0,\"rejected_dry_run\":0}");
        assertThat(http.get("dry").rejectedDryRunCount()).isEqualTo(1);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/stream/limit_conns/tcp", null, true).status()).isEqualTo(204);
        assertThat(stream.get("tcp").rejectedCount()).isZero();
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_conns/nope", null, true).status()).isEqualTo(404);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/http/limit_conns/", null, true).status()).isEqualTo(405);
    }

    @Test
    void versionsBeforeSixHaveNoLimitConnsAndNoZoneNoListing() {
        ApiResponse r = ApiSpec.call(handler, "GET", "/5/http/limit_conns/", null, false);
        assertThat(r.status()).isEqualTo(404);
        assertThat(ApiSpec.body(r)).contains("PathNotFound");
        assertThat(ApiSpec.call(handler, "GET", "/5/stream/limit_conns/tcp", null, false).status()).isEqualTo(404);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/5/http/", null, false))).isEqualTo("[\"keyvals\"]");
        assertThat(ApiSpec.call(handler, "GET", "/9/http/limit_conns/perip/extra", null, false).status()).isEqualTo(404);
        http.clear();
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/", null, false))).isEqualTo("[\"limit_reqs\",\"keyvals\"]");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/http/limit_conns/", null, false))).isEqualTo("{}");
    }
}
