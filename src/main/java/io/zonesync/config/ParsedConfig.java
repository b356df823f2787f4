package io.zonesync.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed configuration: the main file, the prefix relative paths resolve against, the root block
 * (includes expanded, {@code -g} directives appended) and every file read, in reading order.
 */
public record ParsedConfig(Path file, Path prefix, Block root, List<ConfigSource> sources) {

    public ParsedConfig {
        sources = List.copyOf(sources);
    }

    /** A path from the configuration, made absolute against the prefix as nginx does. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : prefix.resolve(p).normalize();
    }
}
