package io.zonesync.stream.core;

/**
 * One stream variable's value for a session, or null when it is "not found" (a keyval key the
 * zone lacks): values then insert nothing and access logs write "-". Runs on the session's event
 * loop: it must not block.
 */
@FunctionalInterface
public interface StreamVariable {
    String value(StreamSession session);
}
