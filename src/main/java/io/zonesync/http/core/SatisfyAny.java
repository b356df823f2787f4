package io.zonesync.http.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The access checks of a location under {@code satisfy any}, as one: the first check that
 * {@linkplain AccessDecision#granted() grants} lets the request in and the rest are skipped; a 403
 * or 401 is kept while the next checks run (a 401, with its challenge, wins over a 403, as in
 * nginx) and is the answer if none grants; any other answer ends the phase at once; checks that
 * have nothing to say let the request in when none refused.
 */
final class SatisfyAny implements AccessHandler {
    private final List<AccessHandler> checks;

    SatisfyAny(List<AccessHandler> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public AccessDecision check(HttpExchange exchange) throws Exception {
        return from(exchange, 0, null);
    }

    /** Runs the checks from {@code i} on, {@code kept} the 401 or 403 so far (null for none). */
    private AccessDecision from(HttpExchange ex, int i, AccessDecision kept) throws Exception {
        AccessDecision refused = kept;
        for (int n = i; n < checks.size(); n++) {
            AccessDecision d = checks.get(n).check(ex);
            if (d.pending() != null) {
                int next = n + 1;
                AccessDecision soFar = refused;
                // on the event loop: the next check may start a subrequest
                return AccessDecision.later(d.pending().thenComposeAsync(later -> resume(ex, next, soFar, later),
                        ex.eventLoop()));
            }
            if (ends(d)) {
                return d.isGranted() ? AccessDecision.proceed() : d;
            }
            refused = combine(refused, d);
        }
        return refused == null ? AccessDecision.proceed() : refused;
    }

    private CompletionStage<AccessDecision> resume(HttpExchange ex, int next, AccessDecision kept, AccessDecision d) {
        if (d.pending() != null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("an access decision completed with another pending decision"));
        }
        if (ends(d)) {
            return CompletableFuture.completedFuture(d.isGranted() ? AccessDecision.proceed() : d);
        }
        try {
            AccessDecision after = from(ex, next, combine(kept, d));
            return after.pending() != null ? after.pending() : CompletableFuture.completedFuture(after);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether a decision ends the phase: a grant, or an answer other than 401 and 403 (500, handled). */
    private static boolean ends(AccessDecision d) {
        return d.isGranted() || !d.proceeds() && d.status() != 401 && d.status() != 403;
    }

    /** What stands after a further refusal: a 401 once seen stays, else the latest. */
    private static AccessDecision combine(AccessDecision kept, AccessDecision d) {
        if (d.proceeds() || d.status() != 401 && d.status() != 403) {
            return kept;
        }
        return kept != null && kept.status() == 401 ? kept : d;
    }
}
