package io.zonesync.sync.proto;

/** The sender has sent every record of its snapshot of one zone; {@code records} says how many. */
public record SnapshotEnd(ZoneSignature zone, long records) implements Message {
    public SnapshotEnd {
        if (zone == null) {
            throw new IllegalArgumentException("snapshot zone is missing");
        }
        if (records < 0) {
            throw new IllegalArgumentException("snapshot record count " + Long.toUnsignedString(records)
                    + " exceeds the limit " + Long.MAX_VALUE);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.SNAPSHOT_END;
    }
}
