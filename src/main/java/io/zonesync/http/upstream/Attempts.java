package io.zonesync.http.upstream;

import java.util.BitSet;

/**
 * The servers one request has tried, and how many more tries it has: as many as the group has
 * servers (primary and backup), as nginx allows. Confined to the request's event loop.
 */
public final class Attempts {
    private final BitSet tried = new BitSet();
    private int remaining;
    boolean onBackup;
    /** The hash methods' state across the tries of one request, as nginx keeps it per request. */
    long hash;
    int rehash;
    int hashTries;
    boolean hashStarted;
    /** When the current attempt's server was chosen (ms), for least_time's requests in flight. */
    long selectedAt;

    Attempts(int tries) {
        this.remaining = tries;
    }

    boolean tried(Peer p) {
        return tried.get(p.id());
    }

    void mark(Peer p) {
        tried.set(p.id());
        remaining--;
    }

    /** Tries left after the current one. */
    public int remaining() {
        return remaining;
    }

    /** A retry that does not count (a cached keep-alive connection that turned out closed). */
    public void refund() {
        remaining++;
    }

    /** Lets the same server be chosen again (after a refund). */
    public void forget(Peer p) {
        tried.clear(p.id());
    }
}
