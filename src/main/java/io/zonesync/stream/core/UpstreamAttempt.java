package io.zonesync.stream.core;

/**
 * One upstream server a session tried, for the {@code $upstream_*} variables: its address, how long
 * connecting took (-1 until connected) and the bytes each way. Confined to the session's event loop.
 */
public final class UpstreamAttempt {
    private final String address;
    private long connectMs = -1;
    private long sent;
    private long received;

    public UpstreamAttempt(String address) {
        this.address = address;
    }

    public String address() {
        return address;
    }

    public long connectMs() {
        return connectMs;
    }

    public void connected(long ms) {
        connectMs = ms;
    }

    public long sent() {
        return sent;
    }

    public long received() {
        return received;
    }

    public void addSent(long n) {
        sent += n;
    }

    public void addReceived(long n) {
        received += n;
    }
}
