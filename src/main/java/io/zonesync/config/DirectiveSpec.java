package io.zonesync.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a directive is allowed to be: its name, the contexts it may stand in, its arity, whether it
 * opens a block (and which context that block is), and whether it may appear more than once in one
 * block. The same name may be registered several times for disjoint contexts (e.g. {@code server}
 * in http opens a server block, in an upstream it is a simple directive).
 */
public record DirectiveSpec(String name, Set<Context> contexts, Arity arity, Context blockContext, boolean repeatable) {

    public DirectiveSpec {
        contexts = Set.copyOf(contexts);
    }

    /** A simple directive that may appear only once per block. */
    public static DirectiveSpec single(String name, Arity arity, Context first, Context... more) {
        return new DirectiveSpec(name, EnumSet.of(first, more), arity, null, false);
    }

    /** A simple directive that may appear any number of times. */
    public static DirectiveSpec repeatable(String name, Arity arity, Context first, Context... more) {
        return new DirectiveSpec(name, EnumSet.of(first, more), arity, null, true);
    }

    /** A directive opening a block of the given context. */
    public static DirectiveSpec block(String name, Arity arity, Context opens, boolean repeatable, Context first,
            Context... more) {
        return new DirectiveSpec(name, EnumSet.of(first, more), arity, opens, repeatable);
    }

    public boolean opensBlock() {
        return blockContext != null;
    }
}
