package io.zonesync.config;

import java.util.Optional;

/**
 * Every directive the node understands, contributed by the feature packages through
 * {@link ConfModule}. {@link #validate} is the one place where unknown, misplaced, wrong-arity,
 * block/non-block and duplicate directives are rejected, always with FILE:LINE, using nginx's
 * wording:
 * <ul>
 * <li>{@code unknown directive "foo"}</li>
 * <li>{@code "listen" directive is not allowed here}</li>
 * <li>{@code invalid number of arguments in "listen" directive}</li>
 * <li>{@code "pid" directive is duplicate}</li>
 * <li>{@code directive "http" has no opening "{"}</li>
 * <li>{@code directive "return" is not terminated by ";"} (a simple directive given a block)</li>
 * <li>{@code invalid value "x" in "daemon" directive, it must be "on" or "off"} (flags)</li>
 * </ul>
 */
public final class DirectiveRegistry {

    /** Adds a directive. Registering the same name twice for overlapping contexts is a programming error. */
    public void register(DirectiveSpec spec) {
        throw new UnsupportedOperationException("being implemented");
    }

    public void registerAll(ConfModule... modules) {
        for (ConfModule m : modules) {
            m.registerDirectives(this);
        }
    }

    /** The spec for a directive of this name standing in this context. */
    public Optional<DirectiveSpec> spec(String name, Context context) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Checks the whole tree; {@code root} is the MAIN context. */
    public void validate(Block root) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }
}
