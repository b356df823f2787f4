package io.zonesync.config;

import java.nio.file.Path;

/**
 * nginx-syntax parser: {@code #} comments, single and double quotes with escapes, {@code ${var}}
 * kept intact, blocks, and {@code include} (with globs, relative to the prefix) expanded in place.
 * Every directive carries FILE:LINE. Errors use nginx's wording ({@code unexpected "}"},
 * {@code unexpected end of file, expecting "}"}, {@code unexpected end of parameter, expecting ";"}, ...).
 */
public final class ConfigParser {
    private ConfigParser() {
    }

    /**
     * Parses a file. {@code prefix} is what relative paths (includes, state files, logs) resolve
     * against; nginx's conf prefix is the directory of the configuration file unless -p says
     * otherwise. {@code globalDirectives} is the text of {@code -g} (may be null), parsed as
     * directives of the main context located at "command line".
     */
    public static ParsedConfig parseFile(Path file, Path prefix, String globalDirectives) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Parses text (tests, -g); includes resolve against the current directory. */
    public static Block parseString(String text, String sourceName) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }
}
