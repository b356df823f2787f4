package io.zonesync.http.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which upstream response headers reach the client: never the hop-by-hop ones (the client
 * connection has its own framing and keep-alive); not those nginx hides by default ({@code Date},
 * {@code Server}, {@code X-Pad}, {@code X-Accel-*}) unless {@code proxy_pass_header} names them
 * (an upstream {@code Date} or {@code Server} so passed replaces the node's own, see
 * {@link #takeNodeHeaders}); not those {@code proxy_hide_header} names.
 *
 * @param hidden the names {@code proxy_hide_header} adds, lower case
 * @param passed the default-hidden names {@code proxy_pass_header} lets through, lower case
 */
record ResponseHeaders(HeaderNameSet hidden, HeaderNameSet passed) {
    private static final HeaderNameSet HOP_BY_HOP = new HeaderNameSet(List.of("connection", "keep-alive",
            "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"));
    private static final List<CharSequence> NODE_HEADERS = List.of(HttpHeaderNames.SERVER, HttpHeaderNames.DATE);
    private static final DefaultHttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);
    private static final HeaderNameSet HIDDEN_BY_DEFAULT = new HeaderNameSet(List.of("date", "server", "x-pad"));

    HttpHeaders forClient(HttpHeaders upstream) {
        // not validated again: the decoder validated the upstream's headers, and the response head
        // they are copied into validates what it is given
        HttpHeaders out = UNCHECKED.newHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = upstream.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            boolean hiddenByDefault = HIDDEN_BY_DEFAULT.contains(name)
                    || HeaderNameSet.startsWithIgnoringAsciiCase(name, "x-accel-");
            if (HOP_BY_HOP.contains(name) || hidden.contains(name) || (hiddenByDefault && !passed.contains(name))) {
                continue;
            }
            out.add(name, e.getValue());
        }
        return out;
    }

    /**
     * Moves {@code Server} and {@code Date} out of {@code forClient} (the node writes its own) and
     * returns them, to be {@linkplain UpstreamHeaderCarry carried} over the node's; null when none.
     */
    static HttpHeaders takeNodeHeaders(HttpHeaders forClient) {
        HttpHeaders taken = null;
        for (CharSequence name : NODE_HEADERS) {
            if (!forClient.contains(name)) {
                continue; // the usual case (both are hidden by default): no list built to find nothing
            }
            List<String> values = forClient.getAll(name);
            if (!values.isEmpty()) {
                if (taken == null) {
                    taken = new DefaultHttpHeaders();
                }
                taken.add(name, values);
                forClient.remove(name);
            }
        }
        return taken;
    }
}
