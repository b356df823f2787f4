package io.zonesync.http.vars;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request for variable tests: fields set directly. */
public final class FakeRequest implements RequestView {
    public String method = "GET";
    public String requestUri = "/";
    public String uri = "/";
    public String args;
    public String protocol = "HTTP/1.1";
    public final Map<String, List<String>> headers = new LinkedHashMap<>();
    public SocketAddress remote = new InetSocketAddress("192.0.2.7", 50123);
    public SocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
    public String serverName = "example.test";
    public int status = 200;
    public long bytesSent = 300;
    public long bodyBytesSent = 100;
    public long requestLength = 80;
    public long connectionStart;
    public long start = 1_700_000_000_000L;
    public long now = 1_700_000_000_123L;
    public String[] captures;

    public FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    @Override public String method() { return method; }
    @Override public String requestUri() { return requestUri; }
    @Override public String uri() { return uri; }
    @Override public String args() { return args; }
    @Override public String protocol() { return protocol; }
    @Override public String header(String name) {
        List<String> v = headers(name);
        return v.isEmpty() ? null : v.get(0);
    }
    @Override public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
    @Override public SocketAddress remoteAddress() { return remote; }
    @Override public SocketAddress localAddress() { return local; }
    @Override public String scheme() { return "http"; }
    @Override public String serverName() { return serverName; }
    @Override public long connectionId() { return 5; }
    @Override public long connectionRequests() { return 2; }
    @Override public String requestId() { return "0123456789abcdef0123456789abcdef"; }
    @Override public int status() { return status; }
    @Override public long bytesSent() { return bytesSent; }
    @Override public long bodyBytesSent() { return bodyBytesSent; }
    @Override public long requestLength() { return requestLength; }
    @Override public long connectionStartMillis() { return connectionStart; }
    @Override public long startMillis() { return start; }
    @Override public long nowMillis() { return now; }
    @Override public String capture(int n) { return captures != null && n < captures.length ? captures[n] : null; }
    @Override public <T> T attribute(AttributeKey<T> key) { return null; }
}
