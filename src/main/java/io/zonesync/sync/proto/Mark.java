package io.zonesync.sync.proto;

/**
 * The sender's high-water mark for one zone (doc/protocol.md 11.6): every record of the zone that
 * the sender held, as of a moment before this frame, with a stamp at or below {@code hlc} has been
 * sent on this link before this frame, or a newer version of its key has. {@code epoch} names the
 * sender's copy of the zone: a zone made anew on the sender has a new one. Sent only to a peer whose
 * HELLO sets flag DELTA.
 */
public record Mark(ZoneSignature zone, long epoch, long hlc) implements Message {
    public Mark {
        if (zone == null) {
            throw new IllegalArgumentException("mark zone is missing");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.MARK;
    }
}
