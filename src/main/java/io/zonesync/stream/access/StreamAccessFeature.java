package io.zonesync.stream.access;

import io.zonesync.access.AccessRules;
import io.zonesync.config.ConfigException;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code allow}/{@code deny} for stream proxy servers (the rules and their directives are
 * {@code io.zonesync.access}'s): in the access phase, a client the rules deny is closed with status
 * 403 and nginx's {@code access forbidden by rule} error line.
 */
public final class StreamAccessFeature implements StreamFeature {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAccessFeature.class);

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        AccessRules rules = AccessRules.of(server.conf().scope());
        if (rules.isEmpty()) {
            return;
        }
        server.access(session -> {
            if (rules.allows(session.remoteAddress())) {
                return 0;
            }
            LOG.error("access forbidden by rule, client: {}, server: {}",
                    session.clientText(),
                    session.serverText());
            return 403;
        });
    }
}
