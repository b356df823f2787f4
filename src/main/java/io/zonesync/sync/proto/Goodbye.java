package io.zonesync.sync.proto;

/** The sender has sent everything it will send on this link and is closing it gracefully. */
public record Goodbye(GoodbyeReason reason) implements Message {
    public Goodbye {
        if (reason == null) {
            throw new IllegalArgumentException("goodbye reason is missing");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.GOODBYE;
    }
}
