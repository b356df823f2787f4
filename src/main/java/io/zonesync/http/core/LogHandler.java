package io.zonesync.http.core;

import io.zonesync.net.HandshakeCounters;

/**
 * A module's step in nginx's log phase: what it does once a request has ended (answered, refused,
 * or its connection lost), such as counting it ({@code status_zone}). Supplied per level by
 * {@link HttpFeature#logHandlers}: a server's handlers see every request the server takes, a
 * location's those that end in it (after internal redirects, the last location). Runs on the
 * connection's event loop: count, do not block.
 */
public interface LogHandler {

    /**
     * A server's handlers only: the request was given to this server, once its Host was read (or,
     * for a request refused before that, the address's default server). Every request that
     * starts also ends.
     */
    default void requestStarted(HttpExchange ex) {
    }

    /**
     * A server's handlers only: where the TLS handshakes of the server's {@code ssl} listeners are
     * counted too (a status zone's figures), or null.
     */
    default HandshakeCounters handshakes() {
        return null;
    }

    /** The request ended; called once per request, after its access log lines. */
    void requestEnded(HttpExchange ex);
}
