package io.zonesync.tls;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The TLS directives: the server side {@code ssl_*} of http and stream servers (nginx's
 * ngx_http_ssl_module and ngx_stream_ssl_module) and the client side {@code zone_sync_ssl_*} of
 * zone_sync links, with NGINX Plus's contexts and arities.
 */
public final class TlsModule implements ConfModule {
    private static final Context[] SERVER_SIDE = {Context.HTTP_SERVER, Context.STREAM, Context.STREAM_SERVER};

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_ssl_module", "ngx_stream_ssl_module", "ngx_openssl_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        for (String one : new String[] {"ssl_password_file", "ssl_ciphers", "ssl_verify_client",
            "ssl_client_certificate", "ssl_trusted_certificate", "ssl_verify_depth", "ssl_crl", "ssl_session_timeout"}) {
            r.register(DirectiveSpec.single(one, Arity.exactly(1), Context.HTTP, SERVER_SIDE));
        }
        r.register(DirectiveSpec.repeatable("ssl_certificate", Arity.exactly(1), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.repeatable("ssl_certificate_key", Arity.exactly(1), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.single("ssl_protocols", Arity.atLeast(1), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.single("ssl_prefer_server_ciphers", Arity.FLAG, Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.single("ssl_session_tickets", Arity.FLAG, Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.repeatable("ssl_session_ticket_key", Arity.exactly(1), Context.HTTP, SERVER_SIDE));
        // deprecated in nginx, still in many configurations: every listen of the server is TLS
        r.register(DirectiveSpec.single("ssl", Arity.FLAG, Context.HTTP, Context.HTTP_SERVER));
        // DH parameters for DHE ciphers: zonesync's TLS uses the provider's standard groups (RFC 7919)
        r.register(DirectiveSpec.single("ssl_dhparam", Arity.exactly(1), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.single("ssl_session_cache", Arity.between(1, 2), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.repeatable("ssl_conf_command", Arity.exactly(2), Context.HTTP, SERVER_SIDE));
        r.register(DirectiveSpec.single("ssl_handshake_timeout", Arity.exactly(1), Context.STREAM,
                Context.STREAM_SERVER));

        r.register(DirectiveSpec.single("zone_sync_ssl", Arity.FLAG, Context.STREAM, Context.STREAM_SERVER));
        for (String one : new String[] {"certificate", "certificate_key", "password_file", "ciphers", "verify_depth",
            "trusted_certificate", "crl", "name"}) {
            r.register(DirectiveSpec.single("zone_sync_ssl_" + one, Arity.exactly(1), Context.STREAM,
                    Context.STREAM_SERVER));
        }
        r.register(DirectiveSpec.single("zone_sync_ssl_protocols", Arity.atLeast(1), Context.STREAM,
                Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("zone_sync_ssl_verify", Arity.FLAG, Context.STREAM, Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("zone_sync_ssl_server_name", Arity.FLAG, Context.STREAM, Context.STREAM_SERVER));
        r.register(DirectiveSpec.repeatable("zone_sync_ssl_conf_command", Arity.exactly(2), Context.STREAM,
                Context.STREAM_SERVER));
    }
}
