package io.zonesync.http.core;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link AccessHandler} decided: go on, let the request in, answer now with a status,
 * decide later, or say it took the request elsewhere itself.
 */
public final class AccessDecision {
    private static final AccessDecision PROCEED = new AccessDecision(0, null, null);
    private static final AccessDecision GRANTED = new AccessDecision(0, null, null);
    private static final AccessDecision HANDLED = new AccessDecision(-1, null, null);

    private final int status;
    private final CompletionStage<AccessDecision> later;
    private final HttpHeaders headers;

    private AccessDecision(int status, CompletionStage<AccessDecision> later, HttpHeaders headers) {
        this.status = status;
        this.later = later;
        this.headers = headers;
    }

    /** Go on to the next handler, then to content: this check has nothing to say about the request. */
    public static AccessDecision proceed() {
        return PROCEED;
    }

    /**
     * This check lets the request in (an {@code allow} rule matched, the credentials are right):
     * under {@code satisfy any} the other access checks are skipped; under {@code satisfy all} it
     * is {@link #proceed()}.
     */
    public static AccessDecision granted() {
        return GRANTED;
    }

    /**
     * Answer with this status (nginx's error page for it, or the location's {@code error_page}),
     * e.g. 503 from limit_req, 403 from deny. A status of 444 closes the connection without answer.
     */
    public static AccessDecision respond(int status) {
        return respond(status, null);
    }

    /**
     * As {@link #respond(int)}, with headers for the answer ({@code WWW-Authenticate} with a 401);
     * they go with nginx's page for the status, not through an {@code error_page} for it.
     */
    public static AccessDecision respond(int status, HttpHeaders headers) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is outside 100..999");
        }
        return new AccessDecision(status, null, headers);
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
        return new AccessDecision(0, Objects.requireNonNull(decision), null);
    }

    public boolean proceeds() {
        return status == 0 && later == null;
    }

    public boolean isGranted() {
        return this == GRANTED;
    }

    public boolean isHandled() {
        return this == HANDLED;
    }

    /** The status to answer with, 0 for proceed or later, -1 when handled. */
    public int status() {
        return status;
    }

    /** The headers to answer with, or null. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The pending decision, or null. */
    public CompletionStage<AccessDecision> pending() {
        return later;
    }
}
