package io.zonesync.zone;

/**
 * One record as the sync engine carries it: the zone's key and payload as bytes (the zone type's
 * codec gives them meaning), the stamp that orders writes, whether it is a tombstone, and the
 * time it has left to live in milliseconds, relative to the moment it was encoded
 * ({@link #NO_EXPIRY} when it does not expire), so that peers' clocks need not agree. Its arrays
 * are handed over, not copied: nobody writes to them once the record is made, and a zone that
 * applies a received record may keep them.
 */
public record ZoneRecord(byte[] key, byte[] payload, Stamp stamp, boolean tombstone, long ttlMs) {
    /** The ttl of a record that does not expire. */
    public static final long NO_EXPIRY = -1;

    public boolean expires() {
        return ttlMs != NO_EXPIRY;
    }
}
