package io.zonesync.http.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.UriPath;
import io.zonesync.http.upstream.UpstreamGroup;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Where one location's {@code proxy_pass} goes and how the request is rewritten for it.
 *
 * @param proxyHost {@code $proxy_host}: the upstream name, or {@code host[:port]} as written
 * @param uriPart the URI of {@code proxy_pass http://host/uri}, or null when it has none
 * @param locationPrefix the prefix location's path, replaced by {@code uriPart}
 * @param redirects how the upstream's Location is rewritten ({@code proxy_redirect})
 */
record ProxyRoute(UpstreamGroup group, String proxyHost, String uriPart, String locationPrefix,
        ProxySettings settings, RedirectRewrite redirects) {

    /**
     * The request target sent upstream. Without a URI part, the client's target as sent (or the
     * changed {@code $uri} after an internal redirect); with one, the location prefix of {@code $uri}
     * replaced by it, as nginx does.
     */
    String upstreamUri(HttpExchange ex) {
        String args = ex.args() == null ? "" : "?" + ex.args();
        String uri = ex.uri();
        if (uriPart == null) {
            String raw = ex.requestUri();
            int q = raw.indexOf('?');
            String rawPath = q < 0 ? raw : raw.substring(0, q);
            String rawArgs = q < 0 ? null : raw.substring(q + 1);
            // as sent, unless a rewrite changed the URI or set $args changed the query
            if (uri.equals(UriPath.normalize(rawPath)) && Objects.equals(ex.args(), rawArgs)) {
                return raw;
            }
            return escape(uri) + args;
        }
        String rest = uri.startsWith(locationPrefix) ? uri.substring(locationPrefix.length()) : uri;
        return uriPart + escape(rest) + args;
    }

    /**
     * The request head for the upstream: method, target, nginx's header rules, body framing
     * ({@code droppedLength}: the bytes of a chunked client body not passed on, -1 when an earlier
     * pass of the exchange took the body and none goes up; {@code setBody}: the
     * {@code proxy_set_body} bytes or null). A
     * chunked request body always goes as HTTP/1.1 (with the configured Connection header, close by
     * default): HTTP/1.0 has no chunked framing, and nginx's way out, reading the whole body first to
     * count it, is what streaming avoids.
     */
    HttpRequest head(HttpExchange ex, long droppedLength, byte[] setBody) {
        boolean clientChunked = ex.requestHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING,
                HttpHeaderValues.CHUNKED, true);
        boolean gone = droppedLength < 0;
        // a chunked body read whole first ($request_body named) goes with its length, as in nginx
        boolean chunked = clientChunked && !settings.dropsClientBody() && !gone && ex.requestBody().declaredLength() < 0;
        HttpVersion version = settings.http11() || chunked ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        String method = settings.method() == null ? ex.method() : settings.method().evaluate(ex);
        HttpRequest req = new DefaultHttpRequest(version, HttpMethod.valueOf(method.isEmpty() ? ex.method() : method),
                upstreamUri(ex));
        HttpHeaders h = req.headers();
        for (ProxySettings.HeaderSetting s : settings.headers()) {
            String value = s.value().evaluate(ex);
            if (value != null && !value.isEmpty()) {
                h.add(s.name(), value);
            }
        }
        HttpHeaders in = settings.passRequestHeaders() ? ex.requestHeaders() : EmptyHttpHeaders.INSTANCE;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!settings.notCopied().contains(e.getKey())) {
                h.add(e.getKey(), e.getValue());
            }
        }
        if (settings.dropsClientBody() && settings.setsHeader("content-length")) {
            // with no client body on the way, nginx lets proxy_set_header Content-Length decide (its
            // documented recipe for proxy_pass_request_body off is an empty value)
            return req;
        } else if (setBody != null) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, setBody.length);
        } else if (gone) {
            return req;
        } else if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (ex.requestBody().declaredLength() >= 0) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, ex.requestBody().declaredLength());
        } else if (clientChunked) {
            // proxy_pass_request_body off: nginx still announces the length of the body it read
            h.set(HttpHeaderNames.CONTENT_LENGTH, droppedLength);
        }
        return req;
    }

    /** The {@code proxy_set_body} value for this request, or null without one. */
    byte[] setBody(HttpExchange ex) {
        if (settings.setBody() == null) {
            return null;
        }
        String body = settings.setBody().evaluate(ex);
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    /** Percent-escapes what may not stand raw in a request path (nginx's URI escaping set). */
    static String escape(String path) {
        StringBuilder b = null;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean unsafe = c <= 0x20 || c >= 0x7f || c == '"' || c == '#' || c == '%' || c == '?';
            if (unsafe && b == null) {
                b = new StringBuilder(path.length() + 16).append(path, 0, i);
            }
            if (b != null) {
                if (unsafe) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? path : b.toString();
    }
}
