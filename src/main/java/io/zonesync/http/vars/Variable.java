package io.zonesync.http.vars;

/**
 * One variable's value for a request. Returns null when the variable is "not found" (a header the
 * request lacks, an absent argument): complex values then insert nothing, access logs write "-".
 * Runs on the connection's event loop: it must not block.
 */
@FunctionalInterface
public interface Variable {
    String value(RequestView request);
}
