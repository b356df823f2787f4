package io.zonesync.config;

import java.util.List;

/**
 * One directive as written: name, arguments (quotes removed, escapes resolved, variables left as
 * text), where it stands, and its block if it opened one. Immutable.
 */
public final class Directive {
    private final String name;
    private final List<String> args;
    private final SourceLocation where;
    private final Block block;

    public Directive(String name, List<String> args, SourceLocation where, Block block) {
        this.name = name;
        this.args = List.copyOf(args);
        this.where = where;
        this.block = block;
    }

    public String name() {
        return name;
    }

    public List<String> args() {
        return args;
    }

    public String arg(int index) {
        return args.get(index);
    }

    public int argCount() {
        return args.size();
    }

    public SourceLocation where() {
        return where;
    }

    /** The block this directive opened, or null for a simple directive. */
    public Block block() {
        return block;
    }

    public boolean hasBlock() {
        return block != null;
    }

    /** An error at this directive: {@code <message> in FILE:LINE}. */
    public ConfigException error(String format, Object... formatArgs) {
        return ConfigException.at(where, format, formatArgs);
    }

    /** nginx's {@code invalid value "X" in "name" directive}. */
    public ConfigException invalidValue(String value) {
        return error("invalid value \"%s\" in \"%s\" directive", value, name);
    }

    @Override
    public String toString() {
        return name + (args.isEmpty() ? "" : " " + String.join(" ", args)) + (block == null ? ";" : " {...}")
                + " at " + where;
    }
}
