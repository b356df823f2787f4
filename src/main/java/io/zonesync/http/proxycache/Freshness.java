package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How long an upstream's response may be served from the cache, by nginx's rules: not at all with
 * {@code Cache-Control: no-cache/no-store/private}, a {@code Set-Cookie} or a {@code Vary} of
 * {@code *} or longer than nginx keeps (unless {@code proxy_ignore_headers} names the header); else {@code X-Accel-Expires}
 * (seconds, or {@code @} and an absolute time; 0 means not to cache), then {@code Cache-Control}'s
 * {@code s-maxage}/{@code max-age}, then {@code Expires}, then the first {@code proxy_cache_valid}
 * line naming the status (or {@code any}).
 *
 * @param valid the {@code proxy_cache_valid} lines in order
 * @param ignored the lower-case header names of {@code proxy_ignore_headers}
 */
record Freshness(List<Valid> valid, Set<String> ignored) {

    /** One {@code proxy_cache_valid} line: a status (0 for {@code any}) and a time. */
    record Valid(int status, long ms) {
    }

    /** The time until which the response is fresh, or -1 when it must not be cached. */
    long validUntil(int status, HttpHeaders h, long nowMs) {
        if (!ignored.contains("set-cookie") && h.contains("Set-Cookie")) {
            return -1;
        }
        if (!ignored.contains("vary")) {
            for (String v : h.getAll("Vary")) {
                if (!Variant.cacheable(v)) {
                    return -1;
                }
            }
        }
        long fromHeaders = 0;
        String xae = ignored.contains("x-accel-expires") ? null : h.get("X-Accel-Expires");
        if (!ignored.contains("cache-control")) {
            long maxAge = -1;
            for (String cc : h.getAll("Cache-Control")) {
                for (String part : cc.split(",")) {
                    String p = part.trim().toLowerCase(Locale.ROOT);
                    if (p.equals("no-cache") || p.equals("no-store") || p.equals("private")) {
                        return -1;
                    }
                    if (p.startsWith("s-maxage=") || p.startsWith("max-age=")) {
                        long n = digits(p.substring(p.indexOf('=') + 1));
                        if (n < 0) {
                            return -1;
                        }
                        maxAge = p.startsWith("s-") || maxAge < 0 ? n : maxAge;
                    }
                    if (staleValue(p) == -2) {
                        return -1;
                    }
                }
            }
            if (maxAge == 0 && xae == null) {
                return -1;
            }
            if (maxAge > 0) {
                fromHeaders = nowMs + maxAge * 1000;
            }
        }
        if (xae != null) {
            boolean absolute = xae.startsWith("@");
            long n = digits(absolute ? xae.substring(1) : xae);
            if (n < 0) {
                return -1;
            }
            if (!absolute && n == 0) {
                return -1;
            }
            fromHeaders = absolute ? n * 1000 : nowMs + n * 1000;
        }
        if (fromHeaders == 0 && !ignored.contains("expires") && h.contains("Expires")) {
            Long expires = HttpDate.parse(h.get("Expires"));
            if (expires == null || expires <= nowMs) {
                return -1;
            }
            fromHeaders = expires;
        }
        if (fromHeaders != 0) {
            return fromHeaders > nowMs ? fromHeaders : -1;
        }
        for (Valid v : valid) {
            if (v.status() == 0 || v.status() == status) {
                return v.ms() == 0 ? -1 : nowMs + v.ms();
            }
        }
        return -1;
    }

    /** The Vary the entry is kept by (the last Vary line, as nginx 1.22), or null when none or ignored. */
    String vary(HttpHeaders h) {
        if (ignored.contains("vary")) {
            return null;
        }
        List<String> all = h.getAll("Vary");
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Cache-Control's {@code stale-while-revalidate=N} and {@code stale-if-error=N} (the first sets
     * both, as nginx does): {updating, error} seconds, 0 when absent or Cache-Control is ignored.
     */
    long[] staleSeconds(HttpHeaders h) {
        long updating = 0;
        long error = -1;
        if (ignored.contains("cache-control")) {
            return new long[] {0, 0};
        }
        for (String cc : h.getAll("Cache-Control")) {
            for (String part : cc.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                long n = staleValue(p);
                if (n >= 0 && p.startsWith("stale-while-revalidate=")) {
                    updating = n;
                } else if (n >= 0) {
                    error = n;
                }
            }
        }
        return new long[] {updating, error < 0 ? updating : error};
    }

    /** The seconds of a stale-* directive: -1 if {@code p} is none, -2 if its value is not digits (not cacheable). */
    private static long staleValue(String p) {
        String v;
        if (p.startsWith("stale-while-revalidate=")) {
            v = p.substring("stale-while-revalidate=".length());
        } else if (p.startsWith("stale-if-error=")) {
            v = p.substring("stale-if-error=".length());
        } else {
            return -1;
        }
        int end = 0;
        while (end < v.length() && v.charAt(end) != ';' && v.charAt(end) != ' ') {
            end++;
        }
        v = v.substring(0, end);
        if (v.isEmpty()) {
            return 0;
        }
        long n = digits(v);
        return n < 0 ? -2 : n;
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 12) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
