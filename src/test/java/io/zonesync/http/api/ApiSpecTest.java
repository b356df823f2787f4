package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The validator must catch bad responses, or passing it would mean nothing. */
class ApiSpecTest {
    private static ApiResponse json(int status, String body) {
        return ApiResponse.json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void specIsFound() {
        assertThat(ApiSpec.FILE).exists();
    }

    @Test
    void acceptsGoodResponses() {
        ApiSpec.check("GET", "/9/http/keyvals/one", json(200, "{\"a\":\"b\"}"));
        ApiSpec.check("GET", "/9/http/keyvals/one", json(404, "{\"error\":{\"status\":404,\"text\":\"t\","
                + "\"code\":\"KeyvalNotFound\"},\"request_id\":\"x\",\"href\":\"h\"}"));
    }

    @Test
    void rejectsBadResponses() {
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one", json(200, "[1,2]")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/nginx", json(200, "{\"generation\":\"six\"}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("GET", "/9/http/keyvals/one", json(404,
                "{\"error\":{\"status\":\"404\",\"text\":\"t\",\"code\":\"c\"},\"request_id\":\"x\",\"href\":\"h\"}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.check("DELETE", "/9/http/keyvals/one", ApiResponse.empty(200)))
                .as("a status the operation does not define").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiSpec.checkError(json(400, "{\"error\":[]}"))).isInstanceOf(AssertionError.class);
    }
}
