package io.zonesync.http.mirror;

import io.netty.buffer.ByteBuf;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.Subrequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The precontent step of {@code mirror}: starts one background subrequest per mirror URI, with the
 * request's method and arguments, and goes on without waiting for them; their responses are
 * dropped. With {@code mirror_request_body on} the whole body is read first and each mirror gets
 * it (the location's own handler still gets it as it asks). Subrequests are not mirrored.
 */
final class MirrorStart implements AccessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorStart.class);

    private final List<String> uris;
    private final boolean withBody;

    MirrorStart(List<String> uris, boolean withBody) {
        this.uris = uris;
        this.withBody = withBody;
    }

    @Override
    public Phase phase() {
        return Phase.PRECONTENT;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        if (ex.isSubrequest()) {
            return AccessDecision.proceed();
        }
        if (!withBody) {
            start(ex, null);
            return AccessDecision.proceed();
        }
        return AccessDecision.later(ex.bufferBody().thenApply(body -> {
            try {
                start(ex, body);
            } finally {
                body.release();
            }
            return AccessDecision.proceed();
        }));
    }

    private void start(HttpExchange ex, ByteBuf body) {
        for (String uri : uris) {
            ex.subrequest(new Subrequest(ex.method(), uri, ex.args(), body == null ? null : body.retainedDuplicate()))
                    .thenAccept(r -> LOG.debug(ex.errorLog(), "mirror \"{}\" of \"{}\" answered {}",
                            uri, ex.requestUri(), r.status()));
        }
    }
}
