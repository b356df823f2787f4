package io.zonesync.sync.proto;

/** The frame type byte. */
public enum MessageType {
    HELLO(1),
    RECORDS(2),
    SNAPSHOT_BEGIN(3),
    SNAPSHOT_END(4),
    HEARTBEAT(5),
    GOODBYE(6),
    ABORT(7),
    DIGEST(8),
    PING(9),
    PONG(10),
    MARK(11),
    RESUME(12);

    private static final MessageType[] BY_CODE = new MessageType[13];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null when there is none. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
