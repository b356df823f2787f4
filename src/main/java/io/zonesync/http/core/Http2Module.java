package io.zonesync.http.core;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The directives of nginx's HTTP/2 module, with nginx's contexts and arity: {@code http2} (nginx
 * 1.25's switch) and the {@code http2_*} settings. Their values are checked when the configuration
 * is compiled ({@link Http2Options}); {@code http2_chunk_size} is taken in http and server only.
 */
public final class Http2Module implements ConfModule {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_v2_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("http2", Arity.FLAG, HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("http2_max_concurrent_streams", Arity.exactly(1), HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("http2_body_preread_size", Arity.exactly(1), HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("http2_chunk_size", Arity.exactly(1), HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("http2_recv_buffer_size", Arity.exactly(1), HTTP));
        r.register(DirectiveSpec.repeatable("http2_push", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("http2_push_preload", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String obsolete : List.of("http2_idle_timeout", "http2_recv_timeout", "http2_max_requests",
                "http2_max_field_size", "http2_max_header_size")) {
            r.register(DirectiveSpec.single(obsolete, Arity.exactly(1), HTTP, HTTP_SERVER));
        }
    }
}
