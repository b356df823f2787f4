package io.zonesync.http.headers;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpDate;
import io.zonesync.http.core.HttpExchange;

/**
 * {@code expires [modified] time | epoch | max | off}, as nginx's headers module sets it on 200,
 * 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses: {@code Expires} that far from now (or
 * from Last-Modified with {@code modified}) and {@code Cache-Control: max-age=} the same seconds,
 * {@code no-cache} when the time is negative; {@code epoch} is 1 January 1970 with no-cache,
 * {@code max} 31 December 2037 with ten years of max-age.
 */
record Expires(Kind kind, long seconds) implements HeaderFilter {

    enum Kind { AFTER_NOW, AFTER_MODIFIED, EPOCH, MAX }

    private static final long MAX_EXPIRES = 2145916555000L; // Thu, 31 Dec 2037 23:55:55 GMT
    private static final long MAX_AGE = 315_360_000;

    /** The filter of an {@code expires} directive, null for {@code off}. */
    static Expires compile(Directive d) throws ConfigException {
        String first = d.arg(0);
        boolean modified = first.equals("modified");
        if (modified && d.argCount() != 2 || !modified && d.argCount() != 1) {
            throw d.error("invalid number of arguments in \"expires\" directive");
        }
        String value = modified ? d.arg(1) : first;
        if (!modified) {
            switch (value) {
                case "off" -> {
                    return null;
                }
                case "epoch" -> {
                    return new Expires(Kind.EPOCH, 0);
                }
                case "max" -> {
                    return new Expires(Kind.MAX, MAX_AGE);
                }
                default -> {
                    // a time, below
                }
            }
        }
        if (value.indexOf('$') >= 0 || value.startsWith("@")) {
            throw d.error("\"expires %s\" is not supported: zonesync takes a constant time, epoch, max or off", value);
        }
        boolean negative = value.startsWith("-");
        String time = negative || value.startsWith("+") ? value.substring(1) : value;
        long s = Values.timeMs(d, time) / 1000;
        return new Expires(modified ? Kind.AFTER_MODIFIED : Kind.AFTER_NOW, negative ? -s : s);
    }

    @Override
    public void filter(int status, HttpHeaders h, HttpExchange ex) {
        switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> {
            }
            default -> {
                return;
            }
        }
        long now = ex.nowMillis();
        switch (kind) {
            case EPOCH -> set(h, 1000, "no-cache");
            case MAX -> set(h, MAX_EXPIRES, "max-age=" + MAX_AGE);
            case AFTER_NOW -> set(h, now + seconds * 1000, seconds < 0 ? "no-cache" : "max-age=" + seconds);
            case AFTER_MODIFIED -> {
                Long modified = lastModified(h);
                if (modified == null) {
                    return;
                }
                long at = modified + seconds * 1000;
                long age = (at - now) / 1000;
                set(h, at, age < 0 ? "no-cache" : "max-age=" + age);
            }
        }
    }

    private static void set(HttpHeaders h, long expiresMillis, String cacheControl) {
        h.set(HttpHeaderNames.EXPIRES, HttpDate.format(expiresMillis));
        h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    }

    private static Long lastModified(HttpHeaders h) {
        String lm = h.get(HttpHeaderNames.LAST_MODIFIED);
        return lm == null ? null : HttpDate.parse(lm);
    }
}
