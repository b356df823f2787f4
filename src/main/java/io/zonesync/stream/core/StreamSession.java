package io.zonesync.stream.core;

import io.netty.channel.Channel;
import io.zonesync.net.AddressText;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.ProxyHeader;
import io.zonesync.net.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection of a stream server, from accept to close: what the phase handlers and
 * variables see, and how a handler ends it ({@link #finish}). When the client connection closes,
 * for whatever reason, the cleanups registered with {@link #onClose} run and then the log handlers.
 * Confined to the connection's event loop.
 */
public final class StreamSession {
    private final Channel client;
    private final StreamServer server;
    private final long number;
    private final Clock clock;
    private final long startMillis;
    private final long startNanos;
    private final Transport transport;
    private final ConnectionLimit connections;
    private final Map<String, String> values = new HashMap<>();
    private final List<UpstreamAttempt> upstreams = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private ProxyHeader proxyHeader;
    /** 0 until the session ends, as nginx's (so {@code $status} reads {@code 000} before). */
    private int status;
    private long bytesReceived;
    private long bytesSent;

    StreamSession(Channel client, StreamServer server, long number, Clock clock, Transport transport,
            ConnectionLimit connections) {
        this.client = client;
        this.server = server;
        this.number = number;
        this.clock = clock;
        this.startMillis = clock.millis();
        this.startNanos = System.nanoTime();
        this.transport = transport;
        this.connections = connections;
    }

    public Channel client() {
        return client;
    }

    public StreamServer server() {
        return server;
    }

    /** {@code $connection}: the serial number of the connection. */
    public long number() {
        return number;
    }

    public Clock clock() {
        return clock;
    }

    public long startMillis() {
        return startMillis;
    }

    /** Milliseconds since the connection was accepted (monotonic). */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public Transport transport() {
        return transport;
    }

    public ConnectionLimit connections() {
        return connections;
    }

    public SocketAddress remoteAddress() {
        return client.remoteAddress();
    }

    public SocketAddress localAddress() {
        return client.localAddress();
    }

    /** The client as nginx's error lines name it: its address without the port. */
    public String clientText() {
        return remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? AddressText.ip(a.getAddress())
                : AddressText.hostPort(remoteAddress());
    }

    /** The listening address the client reached, as nginx's error lines name it ({@code server: ip:port}). */
    public String serverText() {
        return AddressText.hostPort(localAddress());
    }

    /** The PROXY protocol header the client sent ({@code listen ... proxy_protocol}), or null. */
    public ProxyHeader proxyHeader() {
        return proxyHeader;
    }

    void proxyHeader(ProxyHeader header) {
        this.proxyHeader = header;
    }

    /** A value a module keeps for this session ({@code set}), by variable name; null if none. */
    public String value(String name) {
        return values.get(name);
    }

    public void value(String name, String value) {
        values.put(name, value);
    }

    public int status() {
        return status;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public void addReceived(long n) {
        bytesReceived += n;
    }

    public void addSent(long n) {
        bytesSent += n;
    }

    /** The upstream servers tried so far, in order. */
    public List<UpstreamAttempt> upstreams() {
        return upstreams;
    }

    /** Runs when the client connection has closed, before the log handlers. */
    public void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /**
     * Ends the session with {@code status}: the client connection is closed at once, so a caller
     * with data for the client calls this when its write has completed.
     */
    public void finish(int status) {
        if (!client.isOpen()) {
            return;
        }
        this.status = status;
        client.close();
    }

    void closed() {
        if (status == 0) {
            status = 200; // the client went away: nginx ends such a session as a success
        }
        for (Runnable r : cleanups) {
            r.run();
        }
        cleanups.clear();
    }
}
