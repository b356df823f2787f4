package io.zonesync.http.core;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link AccessHandler} decided: go on, answer now with a status, decide later, or say it
 * took the request elsewhere itself.
 */
public final class AccessDecision {
    private static final AccessDecision PROCEED = new AccessDecision(0, null);
    private static final AccessDecision HANDLED = new AccessDecision(-1, null);

    private final int status;
    private final CompletionStage<AccessDecision> later;

    private AccessDecision(int status, CompletionStage<AccessDecision> later) {
        this.status = status;
        this.later = later;
    }

    /** Go on to the next handler, then to content. */
    public static AccessDecision proceed() {
        return PROCEED;
    }

    /**
     * Answer with this status (nginx's error page for it, or the location's {@code error_page}),
     * e.g. 503 from limit_req, 403 from deny. A status of 444 closes the connection without answer.
     */
    public static AccessDecision respond(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is outside 100..999");
        }
        return new AccessDecision(status, null);
    }

    /**
     * The handler has sent the request elsewhere itself ({@link HttpExchange#internalRedirect}, as
     * {@code try_files} falling back to a URI): nothing after it runs here.
     */
    public static AccessDecision handled() {
        return HANDLED;
    }

    /** Decide when the stage completes (limit_req delaying a request). A failed stage gives 500. */
    public static AccessDecision later(CompletionStage<AccessDecision> decision) {
        return new AccessDecision(0, Objects.requireNonNull(decision));
    }

    public boolean proceeds() {
        return status == 0 && later == null;
    }

    public boolean isHandled() {
        return this == HANDLED;
    }

    /** The status to answer with, 0 for proceed or later, -1 when handled. */
    public int status() {
        return status;
    }

    /** The pending decision, or null. */
    public CompletionStage<AccessDecision> pending() {
        return later;
    }
}
