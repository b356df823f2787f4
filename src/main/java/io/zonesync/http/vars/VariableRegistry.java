package io.zonesync.http.vars;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The variables one configuration knows: fixed names ({@code remote_addr}) and prefixes whose rest
 * names a parameter ({@code http_}, {@code arg_}, {@code cookie_}). Names are case-insensitive, as
 * in nginx.
 *
 * <p>A registry is filled while a configuration compiles (core variables first, then each feature,
 * then variables the configuration declares, such as keyval's) and frozen before the configuration
 * serves requests. {@link #copy()} gives a new configuration its own registry, so a reload that
 * drops a keyval variable does not leave it behind.
 */
public final class VariableRegistry {
    private final Map<String, Variable> fixed = new HashMap<>();
    private final Map<String, Function<String, Variable>> prefixes = new HashMap<>();
    /** Fixed names the configuration looked up while it compiled. */
    private final Set<String> referenced = new HashSet<>();
    private boolean frozen;

    public VariableRegistry() {
    }

    private VariableRegistry(VariableRegistry from) {
        fixed.putAll(from.fixed);
        prefixes.putAll(from.prefixes);
    }

    /** A registry with the built-in variables. */
    public static VariableRegistry withCoreVariables() {
        VariableRegistry r = new VariableRegistry();
        new CoreVariables().defineVariables(r);
        return r;
    }

    /**
     * Defines a variable by its name without {@code $}.
     *
     * @throws IllegalStateException if the name is taken or the registry is frozen; a feature that
     *         defines names from configuration checks {@link #isDefined} first to give a config error
     */
    public VariableRegistry define(String name, Variable variable) {
        checkOpen();
        String key = name.toLowerCase(Locale.ROOT);
        if (fixed.putIfAbsent(key, variable) != null) {
            throw new IllegalStateException("variable \"$" + name + "\" is already defined");
        }
        return this;
    }

    /**
     * Defines every variable whose name starts with {@code prefix} (e.g. {@code "http_"}): the
     * factory gets the rest of the name, lower-cased, once when a configuration uses it, and returns
     * the variable, or null when that rest is not acceptable.
     */
    public VariableRegistry definePrefix(String prefix, Function<String, Variable> factory) {
        checkOpen();
        String key = prefix.toLowerCase(Locale.ROOT);
        if (prefixes.putIfAbsent(key, factory) != null) {
            throw new IllegalStateException("variable prefix \"$" + prefix + "\" is already defined");
        }
        return this;
    }

    /** Whether a fixed variable of this name exists (prefixed names are not considered). */
    public boolean isDefined(String name) {
        return fixed.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The variable of this name (fixed names first, then the longest matching prefix), or null. */
    public Variable lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Variable v = fixed.get(key);
        if (v != null) {
            if (!frozen) {
                referenced.add(key);
            }
            return v;
        }
        String best = null;
        for (String p : prefixes.keySet()) {
            if (key.startsWith(p) && key.length() > p.length() && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best == null ? null : prefixes.get(best).apply(key.substring(best.length()));
    }

    /**
     * Whether the configuration names this fixed variable anywhere it compiled a value: for what
     * costs work on every request only when used ({@code $request_body} keeps a copy of the body).
     */
    public boolean isReferenced(String name) {
        return referenced.contains(name.toLowerCase(Locale.ROOT));
    }

    /** An unfrozen copy with the same definitions. */
    public VariableRegistry copy() {
        return new VariableRegistry(this);
    }

    /** No more definitions after this. */
    public VariableRegistry freeze() {
        frozen = true;
        return this;
    }

    private void checkOpen() {
        if (frozen) {
            throw new IllegalStateException("variables are frozen once the configuration is compiled");
        }
    }
}
