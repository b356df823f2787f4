package io.zonesync.http.gzip;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.MimeTypes;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, as nginx's gzip filter does, whether a response is gzipped: status 200, 403 or 404; not
 * HEAD; not a subrequest (its body is part of another response); not already encoded; a known length not under {@code gzip_min_length}; a type of
 * {@code gzip_types} ({@code text/html} always, {@code *} any); then the request: it accepts gzip,
 * its HTTP version is at least {@code gzip_http_version}, a request with Via (from a proxy) only as
 * {@code gzip_proxied} allows, and no {@code gzip_disable} matches its User-Agent. {@code gzip_vary}
 * adds {@code Vary: Accept-Encoding} whenever the response itself qualified. A gzipped response has
 * no Content-Length, a weak ETag and no Accept-Ranges.
 */
record GzipFilter(List<String> types, long minLength, int level, boolean vary, boolean http10,
        Set<String> proxied, List<Pattern> disable) implements HeaderFilter {

    @Override
    public void filter(int status, HttpHeaders h, HttpExchange ex) {
        if ((status != 200 && status != 403 && status != 404) || ex.method().equals("HEAD") || ex.isSubrequest()) {
            return;
        }
        String encoding = h.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty()) {
            return;
        }
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && parse(length) < minLength) {
            return;
        }
        if (!MimeTypes.listed(types, h.get(HttpHeaderNames.CONTENT_TYPE))) {
            return;
        }
        if (vary) {
            h.add(HttpHeaderNames.VARY, "Accept-Encoding");
        }
        if (!requestAccepts(ex, h)) {
            return;
        }
        h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        h.remove(HttpHeaderNames.ACCEPT_RANGES);
        String etag = h.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            h.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
        ex.encodeBody(new GzipEncoder(level));
    }


    private boolean requestAccepts(HttpExchange ex, HttpHeaders response) {
        String ae = ex.header("accept-encoding");
        if (ae == null || !acceptsGzip(ae)) {
            return false;
        }
        if (!http10 && ex.protocol().equals("HTTP/1.0")) { // HTTP/1.1 and HTTP/2.0 are 1.1 or more
            return false;
        }
        if (ex.header("via") != null && !proxiedAllowed(ex, response)) {
            return false;
        }
        String agent = ex.header("user-agent");
        if (agent != null) {
            for (Pattern p : disable) {
                if (p.matcher(agent).find()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code gzip_proxied}: whether a response to a request that came through a proxy is gzipped. */
    private boolean proxiedAllowed(HttpExchange ex, HttpHeaders response) {
        String cacheControl = response.get(HttpHeaderNames.CACHE_CONTROL);
        String cc = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
        return proxied.contains("any")
                || (proxied.contains("expired") && response.contains(HttpHeaderNames.EXPIRES))
                || (proxied.contains("no-cache") && cc.contains("no-cache"))
                || (proxied.contains("no-store") && cc.contains("no-store"))
                || (proxied.contains("private") && cc.contains("private"))
                || (proxied.contains("no_last_modified") && !response.contains(HttpHeaderNames.LAST_MODIFIED))
                || (proxied.contains("no_etag") && !response.contains(HttpHeaderNames.ETAG))
                || (proxied.contains("auth") && ex.header("authorization") != null);
    }

    /** Whether {@code gzip} is among the codings, with a quality above 0. */
    static boolean acceptsGzip(String acceptEncoding) {
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.trim().split(";");
            if (!fields[0].trim().equalsIgnoreCase("gzip")) {
                continue;
            }
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].trim();
                if (f.startsWith("q=")) {
                    try {
                        return Double.parseDouble(f.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    private static long parse(String n) {
        try {
            return Long.parseLong(n.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
