package io.zonesync.keyval;

import io.zonesync.config.SourceLocation;

/**
 * A compiled {@code keyval key $variable zone=name}: the key expression as written (it may hold
 * variables, which the HTTP or stream layer evaluates per request), the variable name without
 * {@code $}, the zone, and where it was declared.
 */
public record KeyvalVariableConf(String keyExpression, String variable, String zone, SourceLocation where) {
}
