package io.zonesync.http.vars;

/**
 * Names one piece of per-request state a package attaches to an exchange (see
 * {@link RequestView#attribute}). Identity is the key: create one per use, in a static field.
 */
public final class AttributeKey<T> {
    private final String name;
    private final boolean inherited;

    private AttributeKey(String name, boolean inherited) {
        this.name = name;
        this.inherited = inherited;
    }

    public static <T> AttributeKey<T> named(String name) {
        return new AttributeKey<>(name, false);
    }

    /**
     * A key whose value a subrequest starts with: its parent's at the time it starts, the same
     * object (state a module shares across a request and its subrequests, as nginx's main request context).
     */
    public static <T> AttributeKey<T> inherited(String name) {
        return new AttributeKey<>(name, true);
    }

    /** Whether subrequests start with their parent's value. */
    public boolean isInherited() {
        return inherited;
    }

    @Override
    public String toString() {
        return name;
    }
}
