package io.zonesync.http.limitreq;

import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.AttributeKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * limit_req in the preaccess phase of one location. The outcome is kept on the exchange (nginx keeps
 * it on the main request), which is {@code $limit_req_status}; once set, later passes (an internal
 * redirect to another location with limits) apply no limit again. A delayed request waits on a timer
 * of its connection's event loop, which goes on serving others meanwhile.
 */
public final class LimitReqHandler implements AccessHandler {
    /** The request's limit_req outcome, for {@code $limit_req_status}. */
    public static final AttributeKey<LimitReqStatus> STATUS = AttributeKey.named("limit_req_status");

    private final LimitReqPolicy policy;

    public LimitReqHandler(LimitReqPolicy policy) {
        this.policy = policy;
    }

    public LimitReqPolicy policy() {
        return policy;
    }

    @Override
    public Phase phase() {
        return Phase.PREACCESS;
    }

    @Override
    public AccessDecision check(HttpExchange exchange) {
        if (exchange.attribute(STATUS) != null) {
            return AccessDecision.proceed();
        }
        LimitReqPolicy.Decision d = policy.decide(exchange);
        if (d.status() == null) {
            return AccessDecision.proceed();
        }
        exchange.setAttribute(STATUS, d.status());
        if (d.httpStatus() != 0) {
            return AccessDecision.respond(d.httpStatus());
        }
        if (d.delayMs() <= 0) {
            return AccessDecision.proceed();
        }
        CompletableFuture<AccessDecision> later = new CompletableFuture<>();
        exchange.eventLoop().schedule(() -> later.complete(AccessDecision.proceed()), d.delayMs(),
                TimeUnit.MILLISECONDS);
        return AccessDecision.later(later);
    }

    @Override
    public String toString() {
        return "limit_req";
    }
}
