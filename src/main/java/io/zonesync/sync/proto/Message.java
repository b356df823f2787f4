package io.zonesync.sync.proto;

/** One frame's worth of meaning; every frame type has exactly one message class. */
public sealed interface Message permits Hello, RecordBatch, SnapshotBegin, SnapshotEnd, Heartbeat, Goodbye, Abort,
        Digest, Ping, Pong, Mark, Resume {
    MessageType type();
}
