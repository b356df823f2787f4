package io.zonesync.http.rewrite;

import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.RewriteHandler;
import java.util.List;

/** {@code if (condition) { ... }}: the rewrite steps inside run, in order, when the condition holds. */
record IfBlock(IfCondition condition, List<RewriteHandler> steps) implements RewriteHandler {

    IfBlock {
        steps = List.copyOf(steps);
    }

    @Override
    public Outcome rewrite(HttpExchange ex) {
        if (!condition.test(ex)) {
            return Outcome.NEXT;
        }
        for (RewriteHandler step : steps) {
            Outcome o = step.rewrite(ex);
            if (o != Outcome.NEXT) {
                return o;
            }
        }
        return Outcome.NEXT;
    }
}
