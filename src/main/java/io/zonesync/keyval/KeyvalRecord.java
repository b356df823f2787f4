package io.zonesync.keyval;

import io.zonesync.zone.Stamp;

/**
 * One key of a zone as the sync layer ships it: the value (null for a delete), the remaining
 * lifetime in ms (0 for none) and the stamp of the write. Remaining lifetimes rather than absolute
 * times go on the wire so that a peer's clock never decides when a key expires here.
 */
public record KeyvalRecord(String key, String value, long ttlMs, Stamp stamp) {
    /** The zone type tag keyval records carry in sync messages. */
    public static final String TYPE_TAG = "keyval";
    /** Version of the keyval record encoding; bump it when the encoding changes. */
    public static final int CODEC_VERSION = 1;

    public boolean isDelete() {
        return value == null;
    }
}
