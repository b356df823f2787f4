package io.zonesync.http.vars;

/**
 * Names one piece of per-request state a package attaches to an exchange (see
 * {@link RequestView#attribute}). Identity is the key: create one per use, in a static field.
 */
public final class AttributeKey<T> {
    private final String name;

    private AttributeKey(String name) {
        this.name = name;
    }

    public static <T> AttributeKey<T> named(String name) {
        return new AttributeKey<>(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
