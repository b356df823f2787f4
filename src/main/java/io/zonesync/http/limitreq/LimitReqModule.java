package io.zonesync.http.limitreq;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The limit_req directives with nginx's contexts and arities; their values are checked by
 * {@link LimitReqZoneConf#compileAll} and {@link LimitReqFeature}.
 */
public final class LimitReqModule implements ConfModule {
    public static final String ZONE = "limit_req_zone";
    public static final String LIMIT = "limit_req";
    public static final String STATUS = "limit_req_status";
    public static final String LOG_LEVEL = "limit_req_log_level";
    public static final String DRY_RUN = "limit_req_dry_run";

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_limit_req_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        // nginx takes exactly three; NGINX Plus a fourth, "sync"
        r.register(DirectiveSpec.repeatable(ZONE, Arity.between(3, 4), Context.HTTP));
        r.register(DirectiveSpec.repeatable(LIMIT, Arity.between(1, 3), Context.HTTP, Context.HTTP_SERVER,
                Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single(STATUS, Arity.exactly(1), Context.HTTP, Context.HTTP_SERVER,
                Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single(LOG_LEVEL, Arity.exactly(1), Context.HTTP, Context.HTTP_SERVER,
                Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single(DRY_RUN, Arity.FLAG, Context.HTTP, Context.HTTP_SERVER,
                Context.HTTP_LOCATION));
    }
}
