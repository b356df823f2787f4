package io.zonesync.cli;

import io.zonesync.core.CoreSettings;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.log.ErrorLogTarget;
import io.zonesync.node.Node;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the configuration comes from ({@code -c}, {@code -p}, {@code -g}, and {@code -e} as the
 * default error log), so it can be read again from disk on HUP.
 */
record ConfigLocation(Path file, Path prefix, String globals, ErrorLogTarget defaultErrorLog) {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLocation.class);

    /**
     * A configuration read, checked by the node assembly, and its core settings; {@code files}
     * opens what a start would open, for {@code -t}.
     */
    record Loaded(ParsedConfig config, CoreSettings settings, Node.FileCheck files) {
    }

    /**
     * Reads and checks the configuration. Its notes ({@code "user" directive is ignored}, ...) are
     * logged here, with the other warnings of reading it, so {@code -t}, a start and a reload all
     * show them, as nginx's do.
     */
    Loaded load(NodeRunner runner) throws ConfigException {
        ParsedConfig config = ConfigParser.parseFile(file, prefix, globals);
        Node.FileCheck files = runner.check(config);
        CoreSettings settings = CoreSettings.from(config, defaultErrorLog);
        settings.notes().forEach(n -> n.severity().log(LOG, n.message()));
        return new Loaded(config, settings, files);
    }
}
