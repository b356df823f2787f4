package io.zonesync.http.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.AttributeKey;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Upstream headers that reach a response the node writes itself: {@code Server} and {@code Date}
 * let through by {@code proxy_pass_header} (they replace the node's own, as in nginx), and the
 * headers nginx keeps from a response with {@code X-Accel-Redirect} for the response of the
 * location it redirects to (its Content-Type over the response's own, except on the pages of 3xx to
 * 5xx statuses, which stay text/html as nginx's do). A header filter on every location, since that
 * location need not proxy.
 */
final class UpstreamHeaderCarry implements HeaderFilter {
    static final UpstreamHeaderCarry INSTANCE = new UpstreamHeaderCarry();
    private static final AttributeKey<HttpHeaders> KEY = AttributeKey.named("upstream headers carried");

    /** Carried headers that take the place of the response's own (every line of them is kept). */
    private static final List<CharSequence> REPLACING = List.of(HttpHeaderNames.SERVER, HttpHeaderNames.DATE,
            HttpHeaderNames.CONTENT_TYPE);

    private UpstreamHeaderCarry() {
    }

    /** Adds {@code headers} to those the request's response will carry. */
    static void carry(HttpExchange ex, HttpHeaders headers) {
        HttpHeaders held = ex.attribute(KEY);
        if (held == null) {
            held = new DefaultHttpHeaders();
            ex.setAttribute(KEY, held);
        }
        held.add(headers);
    }

    /** A header the response now has its own of (an upstream's Content-Type) is no longer carried. */
    static void drop(HttpExchange ex, CharSequence name) {
        HttpHeaders held = ex.attribute(KEY);
        if (held != null) {
            held.remove(name);
        }
    }

    /** The response they were meant for has started: nothing more is carried. */
    static void clear(HttpExchange ex) {
        if (ex.attribute(KEY) != null) {
            ex.setAttribute(KEY, null);
        }
    }

    @Override
    public void filter(int status, HttpHeaders headers, HttpExchange exchange) {
        HttpHeaders held = exchange.attribute(KEY);
        if (held == null) {
            return;
        }
        // nginx's own pages for 3xx-5xx statuses set text/html over a carried Content-Type
        boolean ownPage = status >= 300;
        for (CharSequence name : REPLACING) {
            if (held.contains(name) && !(ownPage && name == HttpHeaderNames.CONTENT_TYPE)) {
                headers.remove(name);
            }
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = held.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!(ownPage && AsciiString.contentEqualsIgnoreCase(e.getKey(), HttpHeaderNames.CONTENT_TYPE))) {
                headers.add(e.getKey(), e.getValue());
            }
        }
    }
}
