package io.zonesync.http.metrics;

/**
 * One stream status zone's figures as the metrics show them, handed over by the node (the stream
 * modules are the node's to read): sessions in progress, connections accepted, sessions completed
 * by class (2xx, 4xx, 5xx), those completed without a status, and bytes received and sent.
 */
public record StreamZoneFigures(long processing, long connections, long success, long clientError, long serverError,
        long discarded, long received, long sent) {
}
