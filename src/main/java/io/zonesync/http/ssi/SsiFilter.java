package io.zonesync.http.ssi;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.ChangedBody;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.MimeTypes;
import java.util.List;

/**
 * Decides, as nginx's SSI filter does, whether a response's body is processed: not when it is
 * empty (Content-Length 0) or not of {@code ssi_types} ({@code text/html} always, {@code *} any).
 * A processed response to the client loses Content-Length and Accept-Ranges, and Last-Modified and
 * ETag unless {@code ssi_last_modified} is on (then the ETag is weak); an included one (a
 * subrequest) keeps its headers, which nobody sees.
 */
record SsiFilter(List<String> types, boolean silentErrors, int valueLength, int setLimit, boolean keepLastModified)
        implements HeaderFilter {

    @Override
    public void filter(int status, HttpHeaders h, HttpExchange ex) {
        if ("0".equals(h.get(HttpHeaderNames.CONTENT_LENGTH))
                || !MimeTypes.listed(types, h.get(HttpHeaderNames.CONTENT_TYPE))) {
            return;
        }
        if (!ex.isSubrequest()) {
            ChangedBody.headers(h, keepLastModified);
            h.remove(HttpHeaderNames.ACCEPT_RANGES);
        }
        ex.filterBody(new SsiProcessor(ex, silentErrors, valueLength, setLimit));
    }
}
