package io.zonesync.http.proxy;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The proxy directives: {@code proxy_pass}, {@code proxy_set_header}, {@code proxy_connect_timeout},
 * {@code proxy_read_timeout}, {@code proxy_send_timeout}, {@code proxy_next_upstream},
 * {@code proxy_next_upstream_tries}, {@code proxy_next_upstream_timeout} and
 * {@code proxy_http_version}, and the response and body shaping ones ({@code proxy_redirect},
 * {@code proxy_cookie_*}, {@code proxy_hide_header}, {@code proxy_pass_header}, {@code proxy_ignore_headers},
 * {@code proxy_set_body}, {@code proxy_pass_request_body}, ...), and the {@code proxy_ssl_*} ones of
 * https upstreams.
 * {@link #ACCEPTED_WITHOUT_EFFECT} are buffer tunings a pasted
 * configuration often holds; zonesync always streams, so they are checked for arity and ignored.
 */
public final class ProxyModule implements ConfModule {
    public static final List<String> ACCEPTED_WITHOUT_EFFECT = List.of("proxy_buffering", "proxy_request_buffering",
            "proxy_buffer_size", "proxy_buffers", "proxy_busy_buffers_size", "proxy_max_temp_file_size",
            "proxy_temp_file_write_size");

    /** Where nginx spools proxied bodies to disk; zonesync streams them. */
    public static final String TEMP_PATH = "proxy_temp_path";

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_proxy_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("proxy_pass", Arity.exactly(1), HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_set_header", Arity.exactly(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String name : List.of("proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout",
                "proxy_http_version", "proxy_next_upstream_tries", "proxy_next_upstream_timeout")) {
            r.register(DirectiveSpec.single(name, Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        r.register(DirectiveSpec.single("proxy_next_upstream", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_redirect", Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_hide_header", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_intercept_errors", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_method", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_pass_request_headers", Arity.FLAG, HTTP, HTTP_SERVER,
                HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_pass_request_body", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_set_body", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_ignore_headers", Arity.atLeast(1), HTTP, HTTP_SERVER,
                HTTP_LOCATION));
        for (String name : List.of("proxy_cookie_domain", "proxy_cookie_path")) {
            r.register(DirectiveSpec.repeatable(name, Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        r.register(DirectiveSpec.repeatable("proxy_cookie_flags", Arity.between(1, 4), HTTP, HTTP_SERVER,
                HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_pass_header", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String name : ACCEPTED_WITHOUT_EFFECT) {
            r.register(DirectiveSpec.single(name, Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        for (String name : List.of("proxy_ssl_verify", "proxy_ssl_server_name", "proxy_ssl_session_reuse",
                "proxy_socket_keepalive")) {
            r.register(DirectiveSpec.single(name, Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        for (String name : List.of("proxy_ssl_trusted_certificate", "proxy_ssl_verify_depth", "proxy_ssl_name",
                "proxy_ssl_certificate", "proxy_ssl_certificate_key", "proxy_ssl_password_file", "proxy_ssl_ciphers",
                "proxy_ssl_crl")) {
            r.register(DirectiveSpec.single(name, Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        r.register(DirectiveSpec.single("proxy_ssl_protocols", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_ssl_conf_command", Arity.exactly(2), HTTP, HTTP_SERVER,
                HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_bind", Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single(TEMP_PATH, Arity.between(1, 4), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }
}
