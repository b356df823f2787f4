package io.zonesync.http.map;

import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;

/** A map's variable: declared first, its table set once every variable a map may use is defined. */
final class MapVariable implements Variable {
    volatile MapTable table;

    @Override
    public String value(RequestView request) {
        MapTable t = table;
        return t == null ? null : t.lookup(request);
    }
}
