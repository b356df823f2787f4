package io.zonesync.sync.proto;

/**
 * A heartbeat that asks for an answer: the receiver sends {@link Pong} with the same token, and the
 * sender times the round trip (doc/protocol.md 3.4). Sent only to a peer whose HELLO sets flag PING.
 */
public record Ping(long token) implements Message {
    @Override
    public MessageType type() {
        return MessageType.PING;
    }
}
