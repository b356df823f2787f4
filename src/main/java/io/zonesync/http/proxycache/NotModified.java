package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Whether a client's conditional request is answered 304 by a cached (or being cached) 200
 * response, as nginx's not-modified check: {@code If-None-Match} ({@code *} or a listed tag, weak
 * tags compared weakly), else {@code If-Modified-Since} equal to Last-Modified (nginx's default
 * {@code if_modified_since exact}).
 */
final class NotModified {
    private NotModified() {
    }

    static boolean applies(int status, HttpHeaders request, HttpHeaders response) {
        if (status != 200) {
            return false;
        }
        String inm = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null) {
            String etag = response.get(HttpHeaderNames.ETAG);
            if (etag == null) {
                return false;
            }
            String strong = etag.startsWith("W/") ? etag.substring(2) : etag;
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(strong)) {
                    return true;
                }
            }
            return false;
        }
        String ims = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        return ims != null && ims.equals(response.get(HttpHeaderNames.LAST_MODIFIED));
    }

    /** The headers of the 304: the response's, without those of a body. */
    static HttpHeaders headers(HttpHeaders response) {
        HttpHeaders h = response.copy();
        h.remove(HttpHeaderNames.CONTENT_TYPE);
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        return h;
    }
}
