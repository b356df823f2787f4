package io.zonesync.stream.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;

/**
 * A variable a block declares by name ({@code map}, {@code geo}, {@code split_clients}), defined
 * before any table compiles so that any value may use any variable, and given its table once every
 * variable exists.
 */
public final class DeclaredVariable implements StreamVariable {
    private StreamVariable table;

    private DeclaredVariable() {
    }

    /** Declares {@code dollarName} ({@code $name}) for {@code d}, with nginx's errors. */
    public static DeclaredVariable declare(StreamVariables variables, Directive d, String dollarName)
            throws ConfigException {
        if (!dollarName.startsWith("$") || dollarName.length() < 2) {
            throw d.error("invalid variable name \"%s\"", dollarName);
        }
        String name = dollarName.substring(1);
        if (variables.isDefined(name)) {
            throw d.error("the duplicate \"%s\" variable", name);
        }
        DeclaredVariable v = new DeclaredVariable();
        variables.define(name, v);
        return v;
    }

    /** Gives the variable its compiled table. */
    public void define(StreamVariable compiled) {
        this.table = compiled;
    }

    @Override
    public String value(StreamSession session) {
        return table.value(session);
    }
}
