package io.zonesync.http.stubstatus;

import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/** nginx's stub_status module: the {@code stub_status} directive ({@link StubStatusFeature} answers it). */
public final class StubStatusModule implements ConfModule {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_stub_status_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        // "stub_status on", the form before nginx 1.7.5, is still accepted; the argument means nothing
        r.register(DirectiveSpec.single("stub_status", Arity.between(0, 1), HTTP_SERVER, HTTP_LOCATION));
    }
}
