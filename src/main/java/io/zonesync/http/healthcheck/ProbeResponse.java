package io.zonesync.http.healthcheck;

import java.util.List;
import java.util.Map;

/**
 * A health check's response: its status, its header fields (names in lower case, values in order)
 * and the start of its body (at most {@link #MAX_BODY} bytes, read as ISO-8859-1); the server it
 * came from and the request it answers, for a {@code match}'s {@code require}. Immutable.
 *
 * @param server the server's address as {@code $upstream_addr} writes it, or null
 * @param request the check's request, or null
 */
public record ProbeResponse(int status, Map<String, List<String>> headers, String body, String server,
        HealthProbe.ProbeRequest request) {
    /** How much of the body a {@code match}'s {@code body} condition sees, as in NGINX Plus. */
    public static final int MAX_BODY = 256 * 1024;

    public ProbeResponse {
        headers = Map.copyOf(headers);
    }

    /** A response whose server and request are not known. */
    public ProbeResponse(int status, Map<String, List<String>> headers, String body) {
        this(status, headers, body, null, null);
    }
}
