package io.zonesync.net.dns;

import java.util.Objects;

/** One SRV record: where a service runs ({@code target:port}), its priority and weight, and its TTL. */
public record SrvRecord(int priority, int weight, int port, String target, long ttlSeconds) {
    public SrvRecord {
        Objects.requireNonNull(target, "target");
    }
}
