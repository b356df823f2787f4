package io.zonesync.http.core;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The headers of a response whose body a filter rewrites ({@code sub_filter}, {@code ssi}), as
 * nginx's filters leave them: no Content-Length, and the validators of the original cleared, or,
 * with the module's {@code *_last_modified on}, Last-Modified kept and a strong ETag weakened.
 */
public final class ChangedBody {
    private ChangedBody() {
    }

    public static void headers(HttpHeaders h, boolean keepLastModified) {
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (keepLastModified) {
            String etag = h.get(HttpHeaderNames.ETAG);
            if (etag != null && etag.startsWith("\"")) {
                h.set(HttpHeaderNames.ETAG, "W/" + etag);
            }
        } else {
            h.remove(HttpHeaderNames.LAST_MODIFIED);
            h.remove(HttpHeaderNames.ETAG);
        }
    }
}
