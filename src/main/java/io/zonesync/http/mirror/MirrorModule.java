package io.zonesync.http.mirror;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's ngx_http_mirror_module: {@code mirror uri | off} (repeatable: one background subrequest
 * per URI) and {@code mirror_request_body on | off}. The mirror list is inherited whole from the
 * innermost level that has any {@code mirror}; {@code off} there means none.
 */
public final class MirrorModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_mirror_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("mirror", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("mirror_request_body", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        Directive body = location.scope().effectiveFirst("mirror_request_body");
        boolean withBody = body == null || Values.flag(body);
        List<Directive> mirrors = location.scope().effective("mirror");
        List<String> uris = new ArrayList<>();
        boolean off = false;
        for (Directive d : mirrors) {
            boolean isOff = d.arg(0).equals("off");
            if (isOff ? !uris.isEmpty() || off : off) {
                throw d.error("\"mirror\" directive is duplicate");
            }
            off |= isOff;
            if (!isOff) {
                uris.add(d.arg(0));
            }
        }
        if (uris.isEmpty()) {
            return List.of();
        }
        return List.of(new MirrorStart(List.copyOf(uris), withBody));
    }
}
