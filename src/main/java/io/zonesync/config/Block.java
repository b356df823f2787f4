package io.zonesync.config;

import java.util.ArrayList;
import java.util.List;

/** The directives between braces (or of a whole file), in order, with includes already expanded. */
public final class Block {
    private final List<Directive> directives;

    public Block(List<Directive> directives) {
        this.directives = List.copyOf(directives);
    }

    public List<Directive> directives() {
        return directives;
    }

    /** Every directive of this name in this block, in order (not looking into nested blocks). */
    public List<Directive> all(String name) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : directives) {
            if (d.name().equals(name)) {
                out.add(d);
            }
        }
        return out;
    }

    /** The first directive of this name in this block, or null. */
    public Directive first(String name) {
        for (Directive d : directives) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public boolean has(String name) {
        return first(name) != null;
    }
}
