package io.zonesync.http.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The upstream response headers passed to the client: all but the hop-by-hop ones (the client
 * connection has its own framing and keep-alive) and those nginx hides by default ({@code Date},
 * {@code Server}, {@code X-Pad}, {@code X-Accel-*}), which the server sets itself.
 */
final class ResponseHeaders {
    private static final HeaderNameSet DROPPED = new HeaderNameSet(List.of("connection", "keep-alive",
            "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer", "date", "server", "x-pad"));

    private ResponseHeaders() {
    }

    static HttpHeaders forClient(HttpHeaders upstream) {
        HttpHeaders out = new DefaultHttpHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = upstream.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (!DROPPED.contains(name) && !HeaderNameSet.startsWithIgnoringAsciiCase(name, "x-accel-")) {
                out.add(name, e.getValue());
            }
        }
        return out;
    }
}
