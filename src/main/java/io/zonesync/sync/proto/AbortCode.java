package io.zonesync.sync.proto;

/** Why a link is being closed with ABORT (doc/protocol.md section 9). */
public enum AbortCode {
    MALFORMED(1),
    FRAME_TOO_LARGE(2),
    BAD_MAGIC(3),
    UNSUPPORTED_VERSION(4),
    UNKNOWN_TYPE(5),
    UNEXPECTED_MESSAGE(6),
    SELF_CONNECTION(7),
    DUPLICATE_LINK(8),
    TIMEOUT(9),
    INTERNAL(10),
    UNTRUSTED(11);

    private final int code;

    AbortCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name of a wire code for logs; codes from newer nodes show as their number. */
    public static String describe(int code) {
        for (AbortCode c : values()) {
            if (c.code == code) {
                return c.name();
            }
        }
        return "code " + code;
    }
}
