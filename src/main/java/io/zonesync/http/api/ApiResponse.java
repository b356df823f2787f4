package io.zonesync.http.api;

import java.util.Map;

/**
 * What to answer: status, headers (Content-Type when there is a body) and body (empty for 201 and
 * 204). For HEAD the HTTP layer sends the headers without the body.
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, Map.of("Content-Type", JSON), body);
    }

    static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), new byte[0]);
    }
}
