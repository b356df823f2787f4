package io.zonesync.http.core;


/**
 * One compiled {@code location} block: how it matches, its settings and the locations nested in it.
 * Immutable.
 */
public final class Location {

    /** nginx's location modifiers. */
    public enum Kind {
        /** {@code location = /x} */
        EXACT("="),
        /** {@code location /x} */
        PREFIX(""),
        /** {@code location ^~ /x}: a prefix that, when it is the longest, skips regular expressions. */
        PREFIX_NO_REGEX("^~"),
        /** {@code location ~ re} */
        REGEX("~"),
        /** {@code location ~* re} */
        REGEX_CASELESS("~*"),
        /** {@code location @name}: reached only by error_page (and try_files, later). */
        NAMED("@");

        private final String modifier;

        Kind(String modifier) {
            this.modifier = modifier;
        }

        public String modifier() {
            return modifier;
        }

        public boolean isRegex() {
            return this == REGEX || this == REGEX_CASELESS;
        }
    }

    private final Kind kind;
    private final String pattern;
    private final NginxRegex regex;
    private final LocationConfig config;
    private final LocationTree nested;

    Location(Kind kind, String pattern, NginxRegex regex, LocationConfig config, LocationTree nested) {
        this.kind = kind;
        this.pattern = pattern;
        this.regex = regex;
        this.config = config;
        this.nested = nested;
    }

    public Kind kind() {
        return kind;
    }

    /** The URI, prefix, expression or {@code @name} as written. */
    public String pattern() {
        return pattern;
    }

    NginxRegex regex() {
        return regex;
    }

    public LocationConfig config() {
        return config;
    }

    LocationTree nested() {
        return nested;
    }

    @Override
    public String toString() {
        return kind == Kind.PREFIX || kind == Kind.NAMED ? pattern : kind.modifier() + " " + pattern;
    }
}
