package io.zonesync.sync.cluster;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The {@code zone_sync*} directives that are not about TLS, with NGINX Plus's contexts, and
 * zonesync's own {@code zone_sync_digest_interval} (anti-entropy) beside them.
 */
public final class ZoneSyncModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_zone_sync_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("zone_sync", Arity.NONE, Context.STREAM_SERVER));
        r.register(DirectiveSpec.repeatable("zone_sync_server", Arity.between(1, 2), Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("zone_sync_buffers", Arity.exactly(2), Context.STREAM, Context.STREAM_SERVER));
        for (String timeLike : new String[] {"zone_sync_connect_retry_interval", "zone_sync_connect_timeout",
            "zone_sync_interval", "zone_sync_timeout", "zone_sync_recv_buffer_size", "zone_sync_digest_interval"}) {
            r.register(DirectiveSpec.single(timeLike, Arity.exactly(1), Context.STREAM, Context.STREAM_SERVER));
        }
    }
}
