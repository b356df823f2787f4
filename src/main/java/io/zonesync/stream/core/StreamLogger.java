package io.zonesync.stream.core;

/** The log phase: called once for each session after its client connection has closed. */
@FunctionalInterface
public interface StreamLogger {
    void log(StreamSession session);
}
