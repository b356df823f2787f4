package io.zonesync.stream.core;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The variables one stream configuration knows, by name without {@code $} (case-insensitive, as in
 * nginx): the core ones ({@link StreamCoreVariables}), then those each module defines, then those the
 * configuration declares ({@code map}, {@code set}, {@code keyval}). Filled while the stream block
 * compiles, frozen before it serves.
 */
public final class StreamVariables {
    private final Map<String, StreamVariable> byName = new HashMap<>();
    private boolean frozen;

    /** A registry holding the core variables. */
    public static StreamVariables withCore() {
        StreamVariables v = new StreamVariables();
        StreamCoreVariables.define(v);
        return v;
    }

    /**
     * Defines a variable.
     *
     * @throws IllegalStateException if the name is taken or the registry frozen: a module defining a
     *         name from the configuration checks {@link #isDefined} first, for a config error
     */
    public void define(String name, StreamVariable variable) {
        if (frozen) {
            throw new IllegalStateException("stream variables are frozen");
        }
        if (byName.putIfAbsent(name.toLowerCase(Locale.ROOT), variable) != null) {
            throw new IllegalStateException("variable \"$" + name + "\" is already defined");
        }
    }

    public boolean isDefined(String name) {
        return byName.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The variable, or null. */
    public StreamVariable lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    void freeze() {
        frozen = true;
    }
}
