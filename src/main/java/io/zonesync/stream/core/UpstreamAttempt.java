package io.zonesync.stream.core;

/**
 * One upstream server a session tried, for the {@code $upstream_*} variables: its address, how long
 * connecting took (-1 until connected), how long until the server's first byte (-1 until then), how
 * long it lasted (until it failed, else until now) and the bytes each way. Confined to the session's
 * event loop.
 */
public final class UpstreamAttempt {
    private final String address;
    private final long startedNanos = System.nanoTime();
    private long connectMs = -1;
    private long firstByteMs = -1;
    private long endedMs = -1;
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

    public long firstByteMs() {
        return firstByteMs;
    }

    /** The time since the attempt began, in ms, or until it {@link #ended}. */
    public long elapsedMs() {
        return endedMs >= 0 ? endedMs : (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The attempt failed and the session went on to another server: its time stops here. */
    public void ended() {
        if (endedMs < 0) {
            endedMs = elapsedMs();
        }
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
        if (firstByteMs < 0 && n > 0) {
            firstByteMs = elapsedMs();
        }
        received += n;
    }
}
