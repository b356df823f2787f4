package io.zonesync.cli;

import io.zonesync.core.CoreSettings;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.log.ErrorLogTarget;
import java.nio.file.Path;

/**
 * Where the configuration comes from ({@code -c}, {@code -p}, {@code -g}, and {@code -e} as the
 * default error log), so it can be read again from disk on HUP.
 */
record ConfigLocation(Path file, Path prefix, String globals, ErrorLogTarget defaultErrorLog) {

    /** A configuration read, checked by the node assembly, and its core settings. */
    record Loaded(ParsedConfig config, CoreSettings settings) {
    }

    Loaded load(NodeRunner runner) throws ConfigException {
        ParsedConfig config = ConfigParser.parseFile(file, prefix, globals);
        runner.check(config);
        return new Loaded(config, CoreSettings.from(config, defaultErrorLog));
    }
}
