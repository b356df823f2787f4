package io.zonesync.stream.core;

/**
 * What a server does with a connection once it is admitted ({@code proxy_pass}, {@code return}):
 * it takes the session over and ends it with {@link StreamSession#finish}. The client channel does
 * not read until the content handler asks it to.
 */
@FunctionalInterface
public interface StreamContent {
    void serve(StreamSession session);
}
