package io.zonesync.config;

/**
 * Value parsers for directive arguments, with nginx's units and error messages. Each takes the
 * directive for FILE:LINE in its error.
 */
public final class Values {
    private Values() {
    }

    /** A size: {@code 512}, {@code 32k}/{@code 32K}, {@code 1m}/{@code 1M}, {@code 1g}/{@code 1G}, in bytes. */
    public static long size(Directive d, String value) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /**
     * A time in milliseconds: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h30m}, {@code 2d},
     * {@code 1w}, {@code 1M} (30 days), {@code 1y} (365 days); a bare number is seconds.
     */
    public static long timeMs(Directive d, String value) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** {@code on} or {@code off}; anything else is nginx's "it must be "on" or "off"" error. */
    public static boolean flag(Directive d) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** A rate {@code Nr/s} or {@code Nr/m} (bare number: r/s) in milli-requests per second, as nginx stores it. */
    public static long rateMilli(Directive d, String value) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** A positive integer (nginx's ngx_atoi); {@code invalid value} otherwise. */
    public static int positiveInt(Directive d, String value) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** The {@code name:size} part of {@code zone=name:size}. */
    public static ZoneSpec zone(Directive d, String value) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** If {@code arg} is {@code key=value}, the value; else null. */
    public static String param(String arg, String key) {
        return arg.startsWith(key + "=") ? arg.substring(key.length() + 1) : null;
    }

    /** A zone's name and size from {@code zone=name:size}. */
    public record ZoneSpec(String name, long sizeBytes) {
    }
}
