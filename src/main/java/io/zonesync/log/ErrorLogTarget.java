package io.zonesync.log;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * One error log: a file (absolute) or the process's standard error, and the least severe level
 * it records ({@code error_log FILE|stderr [level]}; nginx's default level is {@code error}).
 */
public record ErrorLogTarget(Path file, Severity level) {
    public static final String STDERR = "stderr";

    public static ErrorLogTarget stderr(Severity level) {
        return new ErrorLogTarget(null, level);
    }

    public static ErrorLogTarget file(Path file, Severity level) {
        return new ErrorLogTarget(file.toAbsolutePath().normalize(), level);
    }

    /** {@code stderr} or a path, made absolute against {@code prefix} (as {@code -e} is). */
    public static ErrorLogTarget of(String spec, Path prefix, Severity level) {
        return STDERR.equals(spec) ? stderr(level) : file(prefix.resolve(spec), level);
    }

    /**
     * Reads an {@code error_log} directive; {@code resolve} makes a relative path absolute (against
     * the prefix). Errors carry the directive's FILE:LINE.
     */
    public static ErrorLogTarget parse(Directive d, Function<String, Path> resolve) throws ConfigException {
        String where = d.arg(0);
        for (String unsupported : new String[] {"syslog:", "memory:"}) {
            if (where.startsWith(unsupported)) {
                throw d.error("\"%s\" error logs are not supported in \"error_log\" directive, use a file or \"stderr\"",
                        unsupported);
            }
        }
        if (where.isEmpty()) {
            throw d.invalidValue(where);
        }
        Severity level = Severity.ERROR;
        if (d.argCount() > 1) {
            level = Severity.parse(d.arg(1));
            if (level == null) {
                throw d.error("invalid log level \"%s\" in \"error_log\" directive, it must be one of %s",
                        d.arg(1), Severity.names());
            }
        }
        return STDERR.equals(where) ? stderr(level) : file(resolve.apply(where), level);
    }

    /**
     * Opens (and creates) the file for appending and closes it, as nginx opens every {@code error_log}
     * when it reads the configuration: a file that cannot be one is an error at the directive's
     * FILE:LINE. Nothing to do for {@code stderr}.
     */
    public void probe(Directive d) throws ConfigException {
        if (isStderr()) {
            return;
        }
        try {
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw d.error("%s", ErrnoText.openFailed(file, e));
        }
    }

    public boolean isStderr() {
        return file == null;
    }

    /** The file's path or {@code stderr}. */
    public String describe() {
        return isStderr() ? STDERR : file.toString();
    }
}
