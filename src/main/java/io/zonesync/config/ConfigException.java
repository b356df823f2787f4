package io.zonesync.config;

/**
 * A configuration error a user caused. {@link #getMessage()} reads like nginx's:
 * {@code unknown directive "foo" in /etc/zonesync/zonesync.conf:12}.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;
    private final SourceLocation where;

    public ConfigException(String detail, SourceLocation where) {
        super(where == null ? detail : detail + " in " + where);
        this.detail = detail;
        this.where = where;
    }

    public ConfigException(String detail, SourceLocation where, Throwable cause) {
        this(detail, where);
        initCause(cause);
    }

    public static ConfigException at(SourceLocation where, String format, Object... args) {
        return new ConfigException(args.length == 0 ? format : String.format(format, args), where);
    }

    /** The message without the location. */
    public String detail() {
        return detail;
    }

    /** The location, or null when the error is not tied to one. */
    public SourceLocation where() {
        return where;
    }
}
