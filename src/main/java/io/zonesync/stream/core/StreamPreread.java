package io.zonesync.stream.core;

/**
 * A handler of the preread phase ({@code ssl_preread}): it reads what it needs of the client's
 * first bytes, keeps them for the content handler ({@link StreamSession#keepPreread}), then calls
 * {@code next}, or ends the session.
 */
@FunctionalInterface
public interface StreamPreread {
    void preread(StreamSession session, Runnable next);
}
