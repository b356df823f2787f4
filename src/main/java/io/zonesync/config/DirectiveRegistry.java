package io.zonesync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * </ul>
 * Values are checked later by the feature that owns the directive (see {@link Values}).
 */
public final class DirectiveRegistry {
    private final Map<String, List<DirectiveSpec>> byName = new HashMap<>();

    /** Adds a directive. Registering the same name twice for overlapping contexts is a programming error. */
    public void register(DirectiveSpec spec) {
        List<DirectiveSpec> specs = byName.computeIfAbsent(spec.name(), n -> new ArrayList<>());
        for (DirectiveSpec existing : specs) {
            for (Context c : spec.contexts()) {
                if (existing.contexts().contains(c)) {
                    throw new IllegalStateException("directive \"" + spec.name() + "\" registered twice for " + c);
                }
            }
        }
        specs.add(spec);
    }

    public void registerAll(ConfModule... modules) {
        for (ConfModule m : modules) {
            m.registerDirectives(this);
        }
    }

    /** The spec for a directive of this name standing in this context. */
    public Optional<DirectiveSpec> spec(String name, Context context) {
        for (DirectiveSpec s : byName.getOrDefault(name, List.of())) {
            if (s.contexts().contains(context)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether any context knows this directive. */
    public boolean knows(String name) {
        return byName.containsKey(name);
    }

    /** Checks the whole tree; {@code root} is the MAIN context. */
    public void validate(Block root) throws ConfigException {
        validate(root, Context.MAIN);
    }

    private void validate(Block block, Context context) throws ConfigException {
        Set<String> seenSingles = new HashSet<>();
        for (Directive d : block.directives()) {
            if (!knows(d.name())) {
                throw d.error("unknown directive \"%s\"", d.name());
            }
            DirectiveSpec spec = spec(d.name(), context)
                    .orElseThrow(() -> d.error("\"%s\" directive is not allowed here", d.name()));
            if (spec.opensBlock() && !d.hasBlock()) {
                throw d.error("directive \"%s\" has no opening \"{\"", d.name());
            }
            if (!spec.opensBlock() && d.hasBlock()) {
                throw d.error("directive \"%s\" is not terminated by \";\"", d.name());
            }
            if (!spec.arity().accepts(d.argCount())) {
                throw d.error("invalid number of arguments in \"%s\" directive", d.name());
            }
            if (!spec.repeatable() && !seenSingles.add(d.name())) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            if (spec.opensBlock() && spec.blockContext() != Context.OPAQUE) {
                validate(d.block(), spec.blockContext());
            }
        }
    }
}
