package io.zonesync.http.subfilter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.ChangedBody;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.MimeTypes;
import io.zonesync.http.vars.ComplexValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides, as nginx's sub filter does, whether a response's body is rewritten: not when it is
 * encoded (Content-Encoding), empty (Content-Length 0), or not of {@code sub_filter_types}
 * ({@code text/html} always, {@code *} any). A rewritten response loses Content-Length, and
 * Last-Modified and ETag unless {@code sub_filter_last_modified} is on (then the ETag is weak).
 * The patterns and replacements are evaluated per request; an empty pattern after evaluation is skipped.
 */
record SubFilter(List<Pair> pairs, List<String> types, boolean once, boolean keepLastModified)
        implements HeaderFilter {

    /** One {@code sub_filter}: what to look for and what to put instead. */
    record Pair(ComplexValue pattern, ComplexValue replacement) {
    }

    @Override
    public void filter(int status, HttpHeaders h, HttpExchange ex) {
        String encoding = h.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty()) {
            return;
        }
        if ("0".equals(h.get(HttpHeaderNames.CONTENT_LENGTH))
                || !MimeTypes.listed(types, h.get(HttpHeaderNames.CONTENT_TYPE))) {
            return;
        }
        List<SubMatcher.Rule> rules = new ArrayList<>();
        for (Pair p : pairs) {
            String pattern = p.pattern().evaluate(ex);
            if (!pattern.isEmpty()) {
                rules.add(new SubMatcher.Rule(pattern.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                        p.replacement().evaluate(ex).getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (rules.isEmpty()) {
            return;
        }
        ChangedBody.headers(h, keepLastModified);
        ex.encodeBody(new SubMatcher(rules, once));
    }

}
