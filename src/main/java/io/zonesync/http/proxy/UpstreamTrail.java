package io.zonesync.http.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.vars.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one proxied request did upstream, for {@code $upstream_addr}, {@code $upstream_status},
 * {@code $upstream_connect_time}, {@code $upstream_header_time}, {@code $upstream_response_time},
 * {@code $upstream_http_*} and {@code $upstream_cookie_*}: the address of every attempt, its status
 * (502 or 504 for an attempt that gave no response), how long its phases took, and the headers of
 * the last response.
 */
public final class UpstreamTrail {
    public static final AttributeKey<UpstreamTrail> KEY = AttributeKey.named("upstream trail");
    /** The value {@code $proxy_host} takes for this request. */
    public static final AttributeKey<String> PROXY_HOST = AttributeKey.named("proxy host");

    private static final int START = 0;
    private static final int CONNECTED = 1;
    private static final int HEADER = 2;
    private static final int END = 3;

    private final LongSupplier nanos;
    // sized for the one attempt most requests make
    private final List<String> addresses = new ArrayList<>(2);
    private final List<String> statuses = new ArrayList<>(2);
    /** Per attempt: when it started, connected, had the response header, ended (nanos; -1 not yet). */
    private final List<long[]> times = new ArrayList<>(2);
    private volatile HttpHeaders headers;

    public UpstreamTrail() {
        this(System::nanoTime);
    }

    UpstreamTrail(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** The trail of one exchange made outside a proxied request (a health check's): its address, status, headers. */
    public static UpstreamTrail of(String address, int status, HttpHeaders headers) {
        UpstreamTrail t = new UpstreamTrail();
        t.attempt(address);
        t.status(status);
        t.headers(headers);
        t.ended();
        return t;
    }

    void attempt(String address) {
        synchronized (this) {
            ended();
            addresses.add(address);
            statuses.add("-");
            times.add(new long[] {nanos.getAsLong(), -1, -1, -1});
        }
    }

    /** The attempt has its connection (a cached one at once). */
    synchronized void connected() {
        mark(CONNECTED);
    }

    /** The attempt has the upstream's response header. */
    synchronized void headerReceived() {
        mark(HEADER);
    }

    /** The attempt is over, whichever way; marking it again changes nothing. */
    synchronized void ended() {
        mark(END);
    }

    private void mark(int phase) {
        if (!times.isEmpty()) {
            long[] t = times.get(times.size() - 1);
            if (t[phase] < 0) {
                t[phase] = nanos.getAsLong();
            }
        }
    }

    /** {@code $upstream_connect_time}: seconds with milliseconds per attempt, "-" where it never connected. */
    public synchronized String connectTimes() {
        return seconds(CONNECTED);
    }

    /** {@code $upstream_header_time}. */
    public synchronized String headerTimes() {
        return seconds(HEADER);
    }

    /** {@code $upstream_response_time}: to the end of each attempt (an attempt still going counts to now). */
    public synchronized String responseTimes() {
        return seconds(END);
    }

    private String seconds(int phase) {
        if (times.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (long[] t : times) {
            if (b.length() > 0) {
                b.append(", ");
            }
            long at = t[phase] >= 0 ? t[phase] : phase == END ? nanos.getAsLong() : -1;
            if (at < 0) {
                b.append('-');
            } else {
                long ms = Math.max(0, at - t[START]) / 1_000_000;
                b.append(ms / 1000).append('.').append(String.format("%03d", ms % 1000));
            }
        }
        return b.toString();
    }

    synchronized void status(int status) {
        if (!statuses.isEmpty()) {
            statuses.set(statuses.size() - 1, Integer.toString(status));
        }
    }

    void headers(HttpHeaders h) {
        this.headers = h;
    }

    /** {@code 10.0.0.1:80, 10.0.0.2:80}, or null before any attempt. */
    public synchronized String addresses() {
        return addresses.isEmpty() ? null : String.join(", ", addresses);
    }

    public synchronized String statuses() {
        return statuses.isEmpty() ? null : String.join(", ", statuses);
    }

    /** The last upstream response's headers, or null. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The value of cookie {@code name} in the last response's Set-Cookie headers, or null. */
    public String cookie(String name) {
        HttpHeaders h = headers;
        if (h == null) {
            return null;
        }
        for (String setCookie : h.getAll("Set-Cookie")) {
            int eq = setCookie.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            // the name, trimmed as String.trim does, compared in place
            int from = 0;
            int to = eq;
            while (from < to && setCookie.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && setCookie.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == name.length() && setCookie.regionMatches(true, from, name, 0, name.length())) {
                int end = setCookie.indexOf(';', eq);
                return setCookie.substring(eq + 1, end < 0 ? setCookie.length() : end).trim();
            }
        }
        return null;
    }
}
