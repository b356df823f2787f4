package io.zonesync.sync.proto;

/**
 * The sender closes the link because of an error. The code may come from a newer node and so is
 * kept as a number; {@link AbortCode#describe(int)} names it.
 */
public record Abort(int code, String text) implements Message {
    public Abort {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("abort code " + code + " is outside 0..65535");
        }
        Utf8.encode(text, "abort text", 0, Protocol.MAX_ABORT_TEXT_BYTES);
    }

    /** An ABORT with a known code; a text too long for the wire is cut. */
    public static Abort of(AbortCode code, String text) {
        return new Abort(code.code(), Utf8.truncate(text == null ? "" : text, Protocol.MAX_ABORT_TEXT_BYTES));
    }

    @Override
    public MessageType type() {
        return MessageType.ABORT;
    }
}
