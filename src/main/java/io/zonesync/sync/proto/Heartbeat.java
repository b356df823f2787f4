package io.zonesync.sync.proto;

/** Sent on an otherwise idle link so the peer's zone_sync_timeout only closes dead links. */
public record Heartbeat() implements Message {
    public static final Heartbeat INSTANCE = new Heartbeat();

    @Override
    public MessageType type() {
        return MessageType.HEARTBEAT;
    }
}
