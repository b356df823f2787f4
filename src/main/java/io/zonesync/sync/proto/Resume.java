package io.zonesync.sync.proto;

/**
 * What a reconnecting peer asks of one zone (doc/protocol.md 11.6): only the records stamped above
 * {@code since}, the last {@link Mark} it merged from the sender's copy {@code epoch} of the zone;
 * {@code since} 0 asks for the whole snapshot. Sent once per zone synced on the link, only to a peer
 * whose HELLO sets flag DELTA.
 */
public record Resume(ZoneSignature zone, long epoch, long since) implements Message {
    public Resume {
        if (zone == null) {
            throw new IllegalArgumentException("resume zone is missing");
        }
    }

    /** Whether the whole snapshot is asked for. */
    public boolean full() {
        return since == 0;
    }

    @Override
    public MessageType type() {
        return MessageType.RESUME;
    }
}
