package io.zonesync.http.healthcheck;

import java.util.List;
import java.util.Map;

/**
 * A health check's response: its status, its header fields (names in lower case, values in order)
 * and the start of its body (at most {@link #MAX_BODY} bytes, read as ISO-8859-1). Immutable.
 */
public record ProbeResponse(int status, Map<String, List<String>> headers, String body) {
    /** How much of the body a {@code match}'s {@code body} condition sees, as in NGINX Plus. */
    public static final int MAX_BODY = 256 * 1024;

    public ProbeResponse {
        headers = Map.copyOf(headers);
    }
}
