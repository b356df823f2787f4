package io.zonesync.http.metrics;

import io.zonesync.net.HandshakeCounters;

/**
 * One stream status zone's figures as the metrics show them, handed over by the node (the stream
 * modules are the node's to read): sessions in progress, connections accepted, sessions completed
 * by class (2xx, 4xx, 5xx), those completed without a status, bytes received and sent, and the
 * TLS handshakes of its servers' {@code ssl} listeners.
 */
public record StreamZoneFigures(long processing, long connections, long success, long clientError, long serverError,
        long discarded, long received, long sent, HandshakeCounters.Report ssl) {
}
