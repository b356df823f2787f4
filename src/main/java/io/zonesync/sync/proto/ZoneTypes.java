package io.zonesync.sync.proto;

/** Type tags of the zone catalog (doc/protocol.md section 3.2); the feature packages own the payloads. */
public final class ZoneTypes {
    public static final int KEYVAL = 1;
    public static final int STICKY = 2;
    public static final int LIMIT_REQ = 3;

    private ZoneTypes() {
    }

    /** A name for logs: "keyval", "sticky", "limit_req" or "type N". */
    public static String name(int tag) {
        return switch (tag) {
            case KEYVAL -> "keyval";
            case STICKY -> "sticky";
            case LIMIT_REQ -> "limit_req";
            default -> "type " + tag;
        };
    }
}
