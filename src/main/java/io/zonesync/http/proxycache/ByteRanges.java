package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's {@code Range} against a cached (or being cached) 200 response of known length, as
 * nginx's range filter decides it: parts of the body (206), not satisfiable (416), or declined
 * (the whole body, 200, announcing {@code Accept-Ranges: bytes}). Ranges apply only where the
 * upstream's response carried {@code Accept-Ranges}; {@code If-Range} (an entity tag compared
 * exactly, or a date equal to Last-Modified) keeps them; more ranges than allowed, or ranges adding
 * up to more than the body, are declined.
 */
final class ByteRanges {
    private static final AtomicLong BOUNDARY = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1_000_000));

    /** One part: bytes {@code start} to {@code end}, exclusive. */
    record Span(long start, long end) {
        long length() {
            return end - start;
        }
    }

    /** What to answer: {@code spans} null when declined, empty when not satisfiable. */
    record Decision(List<Span> spans) {
        static final Decision DECLINED = new Decision(null);
        static final Decision UNSATISFIABLE = new Decision(List.of());

        boolean declined() {
            return spans == null;
        }

        boolean unsatisfiable() {
            return spans != null && spans.isEmpty();
        }
    }

    private ByteRanges() {
    }

    /**
     * The decision for a request with headers {@code request} on a 200 response with headers
     * {@code response} and {@code length} bytes; {@code max} is how many ranges may be answered
     * (1 while the response is being cached, as nginx's single_range).
     */
    static Decision decide(HttpHeaders request, HttpHeaders response, long length, int max) {
        String range = request.get(HttpHeaderNames.RANGE);
        if (range == null || range.length() < 7 || !range.substring(0, 6).toLowerCase(Locale.ROOT).equals("bytes=")) {
            return Decision.DECLINED;
        }
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange != null) {
            if (ifRange.length() >= 2 && ifRange.endsWith("\"")) {
                if (!ifRange.equals(response.get(HttpHeaderNames.ETAG))) {
                    return Decision.DECLINED;
                }
            } else {
                String lastModified = response.get(HttpHeaderNames.LAST_MODIFIED);
                Long modified = lastModified == null ? null : HttpDate.parse(lastModified);
                Long asked = HttpDate.parse(ifRange);
                if (modified == null || !modified.equals(asked)) {
                    return Decision.DECLINED;
                }
            }
        }
        return parse(range.substring(6), length, max);
    }

    /** nginx's parse of the ranges after "bytes=". */
    static Decision parse(String s, long length, int max) {
        List<Span> spans = new ArrayList<>();
        long size = 0;
        int left = max;
        int p = 0;
        int n = s.length();
        while (true) {
            long start = 0;
            long end = 0;
            boolean suffix = false;
            boolean open = false;
            p = spaces(s, p);
            if (p < n && s.charAt(p) == '-') {
                suffix = true;
                p++;
            } else {
                if (p >= n || !digit(s.charAt(p))) {
                    return Decision.UNSATISFIABLE;
                }
                while (p < n && digit(s.charAt(p))) {
                    if (start > (Long.MAX_VALUE - 9) / 10) {
                        return Decision.UNSATISFIABLE;
                    }
                    start = start * 10 + (s.charAt(p++) - '0');
                }
                p = spaces(s, p);
                if (p >= n || s.charAt(p++) != '-') {
                    return Decision.UNSATISFIABLE;
                }
                p = spaces(s, p);
                if (p >= n || s.charAt(p) == ',') {
                    end = length;
                    open = true;
                }
            }
            if (!open) {
                if (p >= n || !digit(s.charAt(p))) {
                    return Decision.UNSATISFIABLE;
                }
                while (p < n && digit(s.charAt(p))) {
                    if (end > (Long.MAX_VALUE - 9) / 10) {
                        return Decision.UNSATISFIABLE;
                    }
                    end = end * 10 + (s.charAt(p++) - '0');
                }
                p = spaces(s, p);
                if (p < n && s.charAt(p) != ',') {
                    return Decision.UNSATISFIABLE;
                }
                if (suffix) {
                    start = end < length ? length - end : 0;
                    end = length - 1;
                }
                end = end >= length ? length : end + 1;
            }
            if (start < end) {
                spans.add(new Span(start, end));
                size += end - start;
                if (left-- == 0) {
                    return Decision.DECLINED;
                }
            } else if (start == 0) {
                return Decision.DECLINED;
            }
            if (p >= n || s.charAt(p++) != ',') {
                break;
            }
        }
        if (spans.isEmpty()) {
            return Decision.UNSATISFIABLE;
        }
        return size > length ? Decision.DECLINED : new Decision(List.copyOf(spans));
    }

    /** The Content-Range of a part. */
    static String contentRange(Span s, long length) {
        return "bytes " + s.start() + "-" + (s.end() - 1) + "/" + length;
    }

    /** A new boundary for a multipart/byteranges body (twenty digits, as nginx's). */
    static String boundary() {
        return String.format("%020d", BOUNDARY.incrementAndGet());
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int spaces(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }
}
