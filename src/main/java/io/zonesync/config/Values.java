package io.zonesync.config;

/**
 * Value parsers for directive arguments, with nginx's units and error messages. Each takes the
 * directive so its error carries FILE:LINE.
 */
public final class Values {
    private static final long MAX_SIZE = Long.MAX_VALUE / (1L << 30);

    private Values() {
    }

    /** A size: {@code 512}, {@code 32k}/{@code 32K}, {@code 1m}/{@code 1M}, {@code 1g}/{@code 1G}, in bytes. */
    public static long size(Directive d, String value) throws ConfigException {
        long size = parseSize(value);
        if (size < 0) {
            throw d.invalidValue(value);
        }
        return size;
    }

    /** Bytes for a size such as {@code 32k}, or -1 if it is not one (for parameters with their own messages). */
    public static long parseSize(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long scale = 1;
        String digits = value;
        switch (value.charAt(value.length() - 1)) {
            case 'k', 'K' -> scale = 1024;
            case 'm', 'M' -> scale = 1024 * 1024;
            case 'g', 'G' -> scale = 1024 * 1024 * 1024;
            default -> {
            }
        }
        if (scale != 1) {
            digits = value.substring(0, value.length() - 1);
        }
        long n = parseDigits(digits);
        if (n < 0 || n > MAX_SIZE) {
            return -1;
        }
        return n * scale;
    }

    /**
     * A time in milliseconds: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h30m}, {@code 2d},
     * {@code 1w}, {@code 1M} (30 days), {@code 1y} (365 days); a bare number is seconds. Units must
     * go from larger to smaller, as in nginx.
     */
    public static long timeMs(Directive d, String value) throws ConfigException {
        long ms = parseTimeMs(value);
        if (ms < 0) {
            throw d.invalidValue(value);
        }
        return ms;
    }

    /** Milliseconds for a time such as {@code 1h30m}, or -1 if it is not one. */
    static long parseTimeMs(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long total = 0;
        long lastUnit = Long.MAX_VALUE;
        int i = 0;
        while (i < value.length()) {
            int start = i;
            while (i < value.length() && Character.isDigit(value.charAt(i))) {
                i++;
            }
            long n = parseDigits(value.substring(start, i));
            if (n < 0) {
                return -1;
            }
            long unit;
            if (i == value.length()) {
                unit = 1000; // a bare number is seconds
            } else {
                char c = value.charAt(i++);
                switch (c) {
                    case 'y' -> unit = 365L * 24 * 3600 * 1000;
                    case 'M' -> unit = 30L * 24 * 3600 * 1000;
                    case 'w' -> unit = 7L * 24 * 3600 * 1000;
                    case 'd' -> unit = 24L * 3600 * 1000;
                    case 'h' -> unit = 3600L * 1000;
                    case 'm' -> {
                        if (i < value.length() && value.charAt(i) == 's') {
                            i++;
                            unit = 1;
                        } else {
                            unit = 60L * 1000;
                        }
                    }
                    case 's' -> unit = 1000;
                    default -> {
                        return -1;
                    }
                }
            }
            if (unit >= lastUnit) {
                return -1;
            }
            lastUnit = unit;
            if (n > (Long.MAX_VALUE - total) / unit) {
                return -1;
            }
            total += n * unit;
        }
        return total;
    }

    /** {@code on} or {@code off} (any case, as nginx); anything else is nginx's "it must be" error. */
    public static boolean flag(Directive d) throws ConfigException {
        String v = d.arg(0);
        if (v.equalsIgnoreCase("on")) {
            return true;
        }
        if (v.equalsIgnoreCase("off")) {
            return false;
        }
        throw d.error("invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"", v, d.name());
    }

    /** A rate {@code Nr/s} or {@code Nr/m} (bare number: r/s) in milli-requests per second, as nginx stores it. */
    public static long rateMilli(Directive d, String value) throws ConfigException {
        long scale = 1;
        String digits = value;
        if (value.endsWith("r/s")) {
            digits = value.substring(0, value.length() - 3);
        } else if (value.endsWith("r/m")) {
            digits = value.substring(0, value.length() - 3);
            scale = 60;
        }
        long rate = parseDigits(digits);
        if (rate <= 0 || rate > Integer.MAX_VALUE) {
            throw d.error("invalid rate \"%s\"", value);
        }
        return rate * 1000 / scale;
    }

    /** A time of more than zero, in ms: a timeout or an interval; zero or less is an error naming the directive. */
    public static long positiveTimeMs(Directive d, String value) throws ConfigException {
        long ms = timeMs(d, value);
        if (ms <= 0) {
            throw d.error("\"%s\" must be greater than zero, got \"%s\"", d.name(), value);
        }
        return ms;
    }

    /** A positive integer (nginx's ngx_atoi, at most 2^31-1); {@code invalid value} otherwise. */
    public static int positiveInt(Directive d, String value) throws ConfigException {
        long n = parseDigits(value);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw d.invalidValue(value);
        }
        return (int) n;
    }

    /** The {@code name:size} part of {@code zone=name:size}. */
    public static ZoneSpec zone(Directive d, String value) throws ConfigException {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw d.error("invalid zone size \"%s\"", value);
        }
        String name = value.substring(0, colon);
        if (name.isEmpty()) {
            throw d.error("invalid zone name \"%s\"", value);
        }
        long size = parseSize(value.substring(colon + 1));
        if (size <= 0) {
            throw d.error("invalid zone size \"%s\"", value);
        }
        return new ZoneSpec(name, size);
    }

    /**
     * The {@code zone=name:size} argument of {@code limit_conn_zone}, http's and stream's, with
     * nginx's words: the whole argument quoted, a size under {@code minSize} "too small".
     */
    public static ZoneSpec limitConnZone(Directive d, String arg, long minSize) throws ConfigException {
        if (!arg.startsWith("zone=")) {
            throw d.error("invalid parameter \"%s\"", arg);
        }
        int colon = arg.indexOf(':');
        String name = colon < 0 ? arg.substring(5) : arg.substring(5, colon);
        long size = colon < 0 ? -1 : parseSize(arg.substring(colon + 1));
        if (name.isEmpty() || size < 0) {
            throw d.error("invalid zone size \"%s\"", arg);
        }
        if (size < minSize) {
            throw d.error("zone \"%s\" is too small", arg);
        }
        return new ZoneSpec(name, size);
    }

    /**
     * The status of a {@code limit_req_status}/{@code limit_conn_status}-like directive: a number
     * from 400 to 599, with nginx's errors.
     */
    public static int rejectStatus(Directive d) throws ConfigException {
        long n = parseDigits(d.arg(0));
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw d.error("\"%s\" directive invalid number", d.name());
        }
        if (n < 400 || n > 599) {
            throw d.error("value must be between 400 and 599");
        }
        return (int) n;
    }

    /** If {@code arg} is {@code key=value}, the value; else null. */
    public static String param(String arg, String key) {
        return arg.startsWith(key + "=") ? arg.substring(key.length() + 1) : null;
    }

    /** A whole number written with digits only (at most 18 of them), or -1 (for parameters with their own messages). */
    public static long parseDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A zone's name and size from {@code zone=name:size}. */
    public record ZoneSpec(String name, long sizeBytes) {
    }
}
