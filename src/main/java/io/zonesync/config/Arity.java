package io.zonesync.config;

/** How many arguments a directive takes, as nginx's NGX_CONF_TAKE* / NGX_CONF_1MORE flags. */
public record Arity(int min, int max) {
    public static final int UNBOUNDED = Integer.MAX_VALUE;
    public static final Arity NONE = new Arity(0, 0);
    /** A flag: exactly one argument, "on" or "off" (checked by {@link Values#flag}). */
    public static final Arity FLAG = new Arity(1, 1);
    public static final Arity ANY = new Arity(0, UNBOUNDED);

    public static Arity exactly(int n) {
        return new Arity(n, n);
    }

    public static Arity between(int min, int max) {
        return new Arity(min, max);
    }

    public static Arity atLeast(int min) {
        return new Arity(min, UNBOUNDED);
    }

    public boolean accepts(int count) {
        return count >= min && count <= max;
    }
}
