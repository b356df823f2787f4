package io.zonesync.sync.proto;

import java.util.List;

/** A RECORDS frame: records of one zone, 1 to {@link Protocol#MAX_RECORDS_PER_BATCH} of them. */
public record RecordBatch(ZoneSignature zone, List<SyncRecord> records) implements Message {
    public RecordBatch {
        if (zone == null) {
            throw new IllegalArgumentException("batch zone is missing");
        }
        records = List.copyOf(records);
        if (records.isEmpty() || records.size() > Protocol.MAX_RECORDS_PER_BATCH) {
            throw new IllegalArgumentException("record count " + records.size() + " for zone " + zone
                    + " is outside 1.." + Protocol.MAX_RECORDS_PER_BATCH);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.RECORDS;
    }
}
