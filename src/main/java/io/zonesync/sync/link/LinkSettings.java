package io.zonesync.sync.link;

/**
 * What one link is told by the configuration: the largest frame it packs ({@code zone_sync_buffers}
 * size), how often it pushes at the latest ({@code zone_sync_interval}), how long the peer may stay
 * silent or the socket take nothing ({@code zone_sync_timeout}), how long a new connection has to
 * finish its HELLO ({@code zone_sync_connect_timeout}), and how often it offers digests
 * ({@code zone_sync_digest_interval}, 0: never).
 */
public record LinkSettings(int bufferSize, long intervalMs, long timeoutMs, long helloTimeoutMs, long digestIntervalMs) {
}
