package io.zonesync.http.healthcheck;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.proxy.UpstreamTrail;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.RequestView;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * A health check seen as a request, for the variables of a {@code match}'s {@code require}: the
 * check's own {@code GET uri HTTP/1.1} with its Host, and the server's answer as the proxy's
 * variables have it ({@code $upstream_addr}, {@code $upstream_status}, {@code $upstream_http_*});
 * as in NGINX Plus, there is no client, so most other variables are empty.
 */
final class CheckRequest implements RequestView {
    private static final SocketAddress NONE = InetSocketAddress.createUnresolved("", 0);

    private final HealthProbe.ProbeRequest request;
    private final UpstreamTrail trail;
    private final long now = System.currentTimeMillis();

    CheckRequest(ProbeResponse response) {
        this.request = response.request() != null ? response.request()
                : new HealthProbe.ProbeRequest("", "/", 0, 0);
        HttpHeaders headers = new DefaultHttpHeaders();
        response.headers().forEach(headers::add);
        this.trail = UpstreamTrail.of(response.server() == null ? "" : response.server(), response.status(), headers);
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String requestUri() {
        return request.uri();
    }

    @Override
    public String uri() {
        int q = request.uri().indexOf('?');
        return q < 0 ? request.uri() : request.uri().substring(0, q);
    }

    @Override
    public String args() {
        int q = request.uri().indexOf('?');
        return q < 0 ? null : request.uri().substring(q + 1);
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String header(String name) {
        return name.equalsIgnoreCase("host") && !request.host().isEmpty() ? request.host() : null;
    }

    @Override
    public List<String> headers(String name) {
        String h = header(name);
        return h == null ? List.of() : List.of(h);
    }

    @Override
    public SocketAddress remoteAddress() {
        return NONE;
    }

    @Override
    public SocketAddress localAddress() {
        return NONE;
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String serverName() {
        return "";
    }

    @Override
    public long connectionId() {
        return 0;
    }

    @Override
    public long connectionRequests() {
        return 0;
    }

    @Override
    public String requestId() {
        return "";
    }

    @Override
    public int status() {
        return 0;
    }

    @Override
    public long bytesSent() {
        return 0;
    }

    @Override
    public long bodyBytesSent() {
        return 0;
    }

    @Override
    public long requestLength() {
        return 0;
    }

    @Override
    public long connectionStartMillis() {
        return now;
    }

    @Override
    public long startMillis() {
        return now;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T attribute(AttributeKey<T> key) {
        return key == UpstreamTrail.KEY ? (T) trail : null;
    }
}
