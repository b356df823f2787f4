package io.zonesync.stream.proxy;

import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.UpstreamAttempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session whose upstream connection could not be bound ({@code proxy_bind}) ends as nginx ends
 * it, for TCP and UDP alike: status 500, no other server tried, no server named in
 * {@code $upstream_addr} for the connection that never began, the bind's error logged.
 */
final class BindFailure {
    private static final Logger LOG = LoggerFactory.getLogger(BindFailure.class);

    private BindFailure() {
    }

    /** Ends {@code session}, whose latest attempt on {@code upstream} failed to bind with {@code cause}. */
    static void end(StreamSession session, Throwable cause, String upstream) {
        session.upstreams().set(session.upstreams().size() - 1, new UpstreamAttempt(""));
        LOG.error("{} while connecting to upstream, client: {}, server: {}, upstream: \"{}\"", cause.getMessage(),
                session.clientText(), session.serverText(), upstream);
        session.finish(500);
    }
}
