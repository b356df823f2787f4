package io.zonesync.sync.proto;

/** The sender starts streaming its whole copy of one zone. */
public record SnapshotBegin(ZoneSignature zone) implements Message {
    public SnapshotBegin {
        if (zone == null) {
            throw new IllegalArgumentException("snapshot zone is missing");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.SNAPSHOT_BEGIN;
    }
}
