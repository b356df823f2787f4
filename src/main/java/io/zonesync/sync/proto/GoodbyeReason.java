package io.zonesync.sync.proto;

/** Why a node closes a link gracefully (doc/protocol.md section 10.4). */
public enum GoodbyeReason {
    /** QUIT: the node is stopping after flushing. */
    SHUTDOWN(1),
    /** The catalog changed on reload; the link comes back at once with the new one. */
    RELOAD(2),
    /** The receiver is no longer in the sender's configuration and should stop dialling it. */
    REMOVED(3);

    private final int code;

    GoodbyeReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The reason with this code, or null when there is none. */
    public static GoodbyeReason fromCode(int code) {
        for (GoodbyeReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
