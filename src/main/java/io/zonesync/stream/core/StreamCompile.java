package io.zonesync.stream.core;

import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import java.time.Clock;

/**
 * What the stream modules see while one configuration compiles: the {@code stream} block, its
 * variables, the whole configuration (for paths) and the node's clock.
 */
public record StreamCompile(Scope scope, StreamVariables variables, ParsedConfig config, Clock clock) {
}
