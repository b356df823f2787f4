package io.zonesync.keyval;

/**
 * A keyval write that was refused. Nothing in the zone changed. {@link #reason()} says why, for
 * callers (the API) that map it onto their own error codes; the message names the zone, the key and
 * the limit where there is one.
 */
public final class KeyvalException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a write was refused. */
    public enum Reason {
        /** Insert of a key that is already there. */
        KEY_EXISTS,
        /** Update of a key that is not there. */
        KEY_NOT_FOUND,
        /** The write does not fit the zone's size budget. */
        ZONE_FULL,
        /** The key is not valid for the zone's type (e.g. not an address in a type=ip zone) or is empty. */
        INVALID_KEY,
        /** An expire was given for a zone without a timeout. */
        TIMEOUT_NOT_ENABLED,
        /** Several pairs were inserted at once into a zone that is not empty. */
        ZONE_NOT_EMPTY,
        /** An expire that is not a positive number of milliseconds. */
        INVALID_EXPIRE,
        /** Key and value together are larger than one sync record can carry (sync zones only). */
        TOO_LARGE_TO_SYNC
    }

    private final Reason reason;
    private final String key;

    public KeyvalException(Reason reason, String key, String message) {
        super(message);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    /** The key the write failed on, or null when the failure is not about one key. */
    public String key() {
        return key;
    }
}
