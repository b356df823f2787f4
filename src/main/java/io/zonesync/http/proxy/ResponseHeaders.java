package io.zonesync.http.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The upstream response headers passed to the client: all but the hop-by-hop ones (the client
 * connection has its own framing and keep-alive) and those nginx hides by default ({@code Date},
 * {@code Server}, {@code X-Pad}, {@code X-Accel-*}), which the server sets itself.
 */
final class ResponseHeaders {
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "transfer-encoding",
            "proxy-connection", "upgrade", "te", "trailer", "date", "server", "x-pad");

    private ResponseHeaders() {
    }

    static HttpHeaders forClient(HttpHeaders upstream) {
        HttpHeaders out = new DefaultHttpHeaders();
        for (Map.Entry<String, String> e : upstream) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (!DROPPED.contains(key) && !key.startsWith("x-accel-")) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
