package io.zonesync.http.authrequest;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.RequestVariables;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.core.SubrequestResult;
import io.zonesync.http.vars.ComplexValue;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access check of {@code auth_request}: a GET subrequest to the URI, without the request body;
 * when it answers, the {@code auth_request_set} values are evaluated in its context and stored,
 * then its status decides: 2xx lets the request in, 401 (with the subrequest's
 * {@code WWW-Authenticate}) and 403 are the answer, anything else is a 500 and an error log line.
 */
final class AuthRequestCheck implements AccessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AuthRequestCheck.class);

    /** One {@code auth_request_set}: a request variable and the value it gets. */
    record Assignment(String variable, ComplexValue value) {
    }

    private final String uri;
    private final List<Assignment> assignments;

    AuthRequestCheck(String uri, List<Assignment> assignments) {
        this.uri = uri;
        this.assignments = assignments;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        return AccessDecision.later(ex.subrequest(new Subrequest("GET", uri, null, null))
                .thenApply(r -> decide(ex, r)));
    }

    private AccessDecision decide(HttpExchange ex, SubrequestResult r) {
        for (Assignment a : assignments) {
            String value = a.value().evaluate(r.exchange());
            RequestVariables.set(ex, a.variable(), value == null ? "" : value);
        }
        int status = r.status();
        if (status >= 200 && status < 300) {
            return AccessDecision.granted();
        }
        if (status == 403) {
            return AccessDecision.respond(403);
        }
        if (status == 401) {
            List<String> challenges = r.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE);
            if (challenges.isEmpty()) {
                return AccessDecision.respond(401);
            }
            HttpHeaders h = new DefaultHttpHeaders();
            h.set(HttpHeaderNames.WWW_AUTHENTICATE, challenges.get(challenges.size() - 1)); // nginx 1.22 keeps the last
            return AccessDecision.respond(401, h);
        }
        LOG.error(ex.errorLog(),
                "auth request unexpected status: {} while sending to client, client: {}, request: \"{} {}\"", status,
                ex.variable("remote_addr"), ex.method(), ex.requestUri());
        return AccessDecision.respond(500);
    }
}
