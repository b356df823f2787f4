package io.zonesync.keyval;

import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One key of a keyval zone as the tests read it: the value (null for a tombstone), the remaining
 * lifetime in ms (0 for none) and the stamp of the write.
 */
record TestRecord(String key, String value, long ttlMs, Stamp stamp) {

    boolean isDelete() {
        return value == null;
    }

    /** The key's record, or null when the zone holds none (or it expired). */
    static TestRecord of(KeyvalZone zone, String key) {
        return zone.transfer().record(key, TestRecord::of);
    }

    /** Every unexpired record of the zone, tombstones included. */
    static List<TestRecord> all(KeyvalZone zone) {
        List<TestRecord> out = new ArrayList<>();
        Iterator<TestRecord> it = zone.transfer().snapshot(TestRecord::of);
        it.forEachRemaining(out::add);
        return out;
    }

    private static TestRecord of(byte[] r, long now) {
        long expireAt = KeyvalRecord.expireAt(r);
        return new TestRecord(KeyvalRecord.key(r), KeyvalRecord.value(r), expireAt == 0 ? 0 : expireAt - now,
                KeyvalRecord.stamp(r));
    }
}
