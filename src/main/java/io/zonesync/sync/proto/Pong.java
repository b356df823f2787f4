package io.zonesync.sync.proto;

/** The answer to a {@link Ping}, echoing its token (doc/protocol.md 3.4). */
public record Pong(long token) implements Message {
    @Override
    public MessageType type() {
        return MessageType.PONG;
    }
}
