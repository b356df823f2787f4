package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The validator must catch bad responses, or passing it would mean nothing. */
class ApiSpecTest {
    private static final String ERROR = "{\"error\":{\"status\":404,\"text\":\"t\",\"code\":\"KeyvalNotFound\"},"
            + "\"request_id\":\"x\",\"href\":\"h\"}";
    private static final String OLD_ERROR = ERROR.replace("{\"error\"", "{\"path\":\"\",\"method\":\"\",\"error\"");

    private static ApiResponse json(int status, String body) {
        return ApiResponse.json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentIsTheRepositorysOwn() {
        assertThat(ApiSpec.FILE).isRegularFile()
                .isEqualTo(Path.of(System.getProperty("user.dir")).toAbsolutePath().resolve("doc/api/openapi.yaml"));
    }

    @Test
    void acceptsGoodResponses() {
        ApiSpec.check("GET", "/", json(200, "[1,2,3,4,5,6,7,8,9]"));
        ApiSpec.check("GET", "/9/http/keyvals/one", json(200, "{\"a\":\"b\"}"));
        ApiSpec.check("GET", "/9/http/keyvals/one", json(404, ERROR));
        ApiSpec.check("GET", "/2/http/keyvals/one", json(404, OLD_ERROR));
        ApiSpec.check("GET", "/9/stream/zone_sync/nodes", json(200, "[{\"address\":\"10.0.0.2:12345\",\"direction\":"
                + "\"outbound\",\"state\":\"live\",\"node_id\":\"1f\",\"online_since\":\"2026-01-01T00:00:00.001Z\","
                + "\"state_since\":\"2026-01-01T00:00:00.002Z\",\"last_error\":null,\"records_sent\":1,"
                + "\"records_received\":2,\"records_pending\":0,\"bytes_sent\":64,\"bytes_received\":128,"
                + "\"ssl\":{\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"peer_subject\":\"CN=b\"},"
                + "\"rtt\":0.25,\"replication_lag\":120,\"reconnects\":2,\"last_seen\":\"2026-01-01T00:00:01Z\",\"last_seen_age\":40},"
                + "{\"address\":\"10.0.0.3:12345\",\"direction\":\"outbound\",\"state\":\"connecting\","
                + "\"node_id\":null,\"online_since\":null,\"state_since\":\"2026-01-01T00:00:00Z\","
                + "\"last_error\":\"connect() failed (111: Connection refused)\",\"records_sent\":0,"
                + "\"records_received\":0,\"records_pending\":0,\"bytes_sent\":0,\"bytes_received\":0,"
                + "\"ssl\":null,\"rtt\":null,\"replication_lag\":null,\"reconnects\":0,\"last_seen\":null,\"last_seen_age\":null}]"));
        ApiSpec.check("GET", "/9/stream/zone_sync/zones", json(200, "{\"learned\":{\"type\":\"sticky\","
                + "\"records_total\":3,\"records_pending\":0,\"size\":1048576,\"used\":4864,"
                + "\"sessions\":{\"current\":3,\"max\":4080}},\"verdicts\":{\"type\":\"upstream_health\","
                + "\"records_total\":1,\"records_pending\":0,\"size\":null,\"used\":null,\"sessions\":null}}"));
        ApiSpec.check("PUT", "/9/nginx", json(405, ERROR.replace("404", "405")));
    }

    @Test
    void rejectsBadResponses() {
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one", json(200, "[1,2]")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one", json(200, "{\"a\":1}")))
                .as("values are strings").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/nginx", json(200, "{\"generation\":\"six\"}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/nginx", json(200, "{\"generation\":6,\"extra\":1}")))
                .as("a field the document does not define").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "//9//nginx", json(200, "{\"generation\":\"six\"}")))
                .as("empty segments are read as the handler reads them").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/", json(200, "[\"9\"]")))
                .as("the version list holds numbers").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/stream/zone_sync/", json(200, "{\"zones\":{}}")))
                .as("status is required").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/stream/zone_sync/nodes", json(200, "[{\"address\":\"a\"}]")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one",
                json(404, ERROR.replace("404,", "\"404\",")))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one",
                json(404, ERROR.replace(",\"href\":\"h\"", "")))).as("href is required")
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/2/http/keyvals/one", json(404, ERROR)))
                .as("versions 1-3 carry path and method").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one", json(404, OLD_ERROR)))
                .as("later versions do not").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("DELETE", "/9/http/keyvals/one", ApiResponse.empty(200)))
                .as("a status the operation does not define").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/nginx", json(500, "{}")))
                .as("a 500 is an NginxError too").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/slabs/", json(200, "{}")))
                .as("a path the document does not list").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/openapi.yaml", json(200, "{}")))
                .as("the document is YAML").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.checkError(json(400, "{\"error\":[]}"))).isInstanceOf(AssertionError.class);
    }
}
