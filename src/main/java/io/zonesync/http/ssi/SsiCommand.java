package io.zonesync.http.ssi;

import java.util.List;

/**
 * One SSI command as written, {@code <!--# name key="value" ... -->}: its name and its parameters in
 * order, each value as it stood between the quotes (backslashes kept; {@link SsiValues} reads them).
 */
record SsiCommand(String name, List<Param> params) {

    /** One {@code key="value"}. */
    record Param(String key, String value) {
    }

    SsiCommand {
        params = List.copyOf(params);
    }

    /** The command written out again as a block keeps it: {@code <!--#name key="value" -->}. */
    String text() {
        StringBuilder b = new StringBuilder("<!--#").append(name);
        for (Param p : params) {
            b.append(' ').append(p.key()).append("=\"").append(p.value()).append('"');
        }
        return b.append(" -->").toString();
    }
}
