package io.zonesync.sync.proto;

/**
 * What a peer asks of one zone when a link comes up (doc/protocol.md 11.6, 11.7): only the records
 * stamped above {@code since}, the last {@link Mark} it merged from the sender's copy {@code epoch}
 * of the zone; {@code since} 0 asks for the whole snapshot, and epoch 0 with {@code since} all ones
 * for none of it (a joining node that another peer is teaching). Sent once per zone synced on the
 * link, only to a peer whose HELLO sets flag DELTA; once more, for the whole zone, after an answered
 * ask for nothing.
 */
public record Resume(ZoneSignature zone, long epoch, long since) implements Message {
    /** The {@code since} of an ask for nothing: above every stamp. */
    public static final long NOTHING = -1L;

    public Resume {
        if (zone == null) {
            throw new IllegalArgumentException("resume zone is missing");
        }
    }

    /** An ask for the whole zone. */
    public static Resume whole(ZoneSignature zone) {
        return new Resume(zone, 0, 0);
    }

    /** An ask for none of the zone: the digests repair what the teaching peer lacked. */
    public static Resume nothing(ZoneSignature zone) {
        return new Resume(zone, 0, NOTHING);
    }

    /** Whether the whole snapshot is asked for. */
    public boolean full() {
        return since == 0;
    }

    /** Whether none of the zone is asked for. */
    public boolean nothing() {
        return epoch == 0 && since == NOTHING;
    }

    @Override
    public MessageType type() {
        return MessageType.RESUME;
    }
}
