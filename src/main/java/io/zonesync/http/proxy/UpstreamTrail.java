package io.zonesync.http.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.vars.AttributeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one proxied request did upstream, for {@code $upstream_addr}, {@code $upstream_status},
 * {@code $upstream_http_*} and {@code $upstream_cookie_*}: the address of every attempt, its status
 * (502 or 504 for an attempt that gave no response), and the headers of the last response.
 */
public final class UpstreamTrail {
    public static final AttributeKey<UpstreamTrail> KEY = AttributeKey.named("upstream trail");
    /** The value {@code $proxy_host} takes for this request. */
    public static final AttributeKey<String> PROXY_HOST = AttributeKey.named("proxy host");

    private final List<String> addresses = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private volatile HttpHeaders headers;

    void attempt(String address) {
        synchronized (this) {
            addresses.add(address);
            statuses.add("-");
        }
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
            if (setCookie.substring(0, eq).trim().equalsIgnoreCase(name)) {
                int end = setCookie.indexOf(';', eq);
                return setCookie.substring(eq + 1, end < 0 ? setCookie.length() : end).trim();
            }
        }
        return null;
    }
}
