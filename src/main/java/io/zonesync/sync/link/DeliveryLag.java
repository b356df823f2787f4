package io.zonesync.sync.link;

/**
 * What one link has written to its socket and the peer has not yet confirmed receiving, kept as
 * since when the oldest such record was owed (doc/protocol.md 3.4): records written after the last
 * PING wait for the next one, those written before the PING awaiting its PONG are received once
 * that PONG arrives (TCP keeps the order, and the peer merges frames in order before it answers).
 * A new PING that replaces an unanswered one takes over what the first one covered. With a peer
 * that answers no PINGs nothing can be confirmed, so a record counts as received once written.
 *
 * <p>Written on the link's event loop; read by the status from any thread.
 */
final class DeliveryLag {
    private volatile boolean confirmable;
    /** Since when the oldest record written after the last PING was owed; MAX_VALUE: none. */
    private volatile long sinceLastPing = Long.MAX_VALUE;
    /** Since when the oldest record the awaited PONG will confirm was owed; MAX_VALUE: none. */
    private volatile long awaitingPong = Long.MAX_VALUE;

    /** The peer answers PINGs: written records wait for a PONG before they count as received. */
    void confirmable(boolean yes) {
        confirmable = yes;
    }

    /** A frame went to the socket whose oldest record was owed since {@code owedSince} (ms). */
    void written(long owedSince) {
        if (confirmable && owedSince < sinceLastPing) {
            sinceLastPing = owedSince;
        }
    }

    /** Records were written since the last PING: one should follow them. */
    boolean unpinged() {
        return sinceLastPing != Long.MAX_VALUE;
    }

    /** A PING went out after every record written so far (replacing any PING still unanswered). */
    void pingSent() {
        awaitingPong = Math.min(awaitingPong, sinceLastPing);
        sinceLastPing = Long.MAX_VALUE;
    }

    /** The awaited PONG arrived: every record written before its PING is received. */
    void ponged() {
        awaitingPong = Long.MAX_VALUE;
    }

    /** The link closed: nothing it wrote can be confirmed any more. */
    void clear() {
        sinceLastPing = Long.MAX_VALUE;
        awaitingPong = Long.MAX_VALUE;
    }

    /** Since when the oldest written record not yet confirmed was owed (ms), or MAX_VALUE. */
    long oldestUnconfirmed() {
        return Math.min(sinceLastPing, awaitingPong);
    }
}
