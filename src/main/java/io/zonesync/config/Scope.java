package io.zonesync.config;

import java.util.List;

/**
 * A block seen with its enclosing blocks, for nginx's inheritance rule: a directive set at an
 * inner level replaces the outer ones; if none is set at the inner level, the nearest outer level
 * that has any applies.
 */
public record Scope(Context context, Block block, Scope parent) {

    public static Scope root(Block block) {
        return new Scope(Context.MAIN, block, null);
    }

    public Scope child(Context childContext, Block childBlock) {
        return new Scope(childContext, childBlock, this);
    }

    /** The directives named so at the innermost level that has any; empty if none has. */
    public List<Directive> effective(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            List<Directive> here = s.block.all(name);
            if (!here.isEmpty()) {
                return here;
            }
        }
        return List.of();
    }

    /** The first directive named so at the innermost level that has one, or null. */
    public Directive effectiveFirst(String name) {
        List<Directive> found = effective(name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The nearest enclosing scope (this one included) of the given context, or null. */
    public Scope nearest(Context wanted) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.context == wanted) {
                return s;
            }
        }
        return null;
    }
}
