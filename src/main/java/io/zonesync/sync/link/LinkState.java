package io.zonesync.sync.link;

/** The life of one link (doc/protocol.md section 10.1). */
public enum LinkState {
    HANDSHAKING,
    /** Sending this node's snapshot while pushing live changes; counts as online. */
    SNAPSHOTTING,
    /** This node's snapshot is complete; only live changes remain. */
    LIVE,
    /** GOODBYE or ABORT sent or received; nothing new is queued. */
    CLOSING,
    CLOSED;

    public boolean online() {
        return this == SNAPSHOTTING || this == LIVE;
    }
}
