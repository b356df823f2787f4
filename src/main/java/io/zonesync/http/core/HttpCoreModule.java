package io.zonesync.http.core;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;
import static io.zonesync.config.Context.MAIN;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The directives of nginx's http core, with nginx's contexts and arity: {@code http}, {@code server},
 * {@code listen}, {@code server_name}, {@code location},
 * {@code root}, {@code types}, {@code default_type}, {@code error_page},
 * {@code client_max_body_size}, {@code keepalive_timeout}, {@code keepalive_requests},
 * {@code server_tokens}, {@code absolute_redirect}, and
 * {@code port_in_redirect}. Their values are checked when {@link HttpConfigCompiler} compiles them.
 *
 * <p>{@link #ACCEPTED_WITHOUT_EFFECT} are directives a pasted nginx configuration commonly holds
 * that have no meaning here (kernel and buffer tuning): they are validated for arity and ignored.
 */
public final class HttpCoreModule implements ConfModule {

    /** Flags accepted for compatibility; zonesync's behaviour does not depend on them. */
    public static final List<String> ACCEPTED_WITHOUT_EFFECT = List.of(
            "sendfile", "tcp_nopush", "tcp_nodelay", "reset_timedout_connection", "underscores_in_headers",
            "ignore_invalid_headers", "log_subrequest", "server_name_in_redirect", "etag",
            "msie_padding", "chunked_transfer_encoding");

    /** Sizes and times accepted for compatibility and ignored. */
    public static final List<String> ACCEPTED_VALUES_WITHOUT_EFFECT = List.of(
            "charset", "source_charset", "types_hash_max_size", "types_hash_bucket_size",
            "server_names_hash_max_size", "server_names_hash_bucket_size", "variables_hash_max_size",
            "variables_hash_bucket_size", "client_header_buffer_size",
            "output_buffers",
            "postpone_output", "lingering_close", "lingering_time", "lingering_timeout", "send_lowat",
            "keepalive_time", "keepalive_disable", "connection_pool_size", "request_pool_size", "aio",
            "open_file_cache", "open_file_cache_valid", "open_file_cache_min_uses", "open_file_cache_errors");

    /**
     * Where nginx spools bodies to disk, for its modules and for those zonesync does not have
     * (fastcgi, uwsgi, scgi): zonesync streams bodies and never writes them to disk.
     */
    public static final List<String> TEMP_PATHS = List.of("client_body_temp_path", "fastcgi_temp_path",
            "uwsgi_temp_path", "scgi_temp_path");

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_module", "ngx_http_core_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("http", Arity.NONE, HTTP, false, MAIN));
        r.register(DirectiveSpec.block("server", Arity.NONE, HTTP_SERVER, true, HTTP));
        r.register(DirectiveSpec.repeatable("listen", Arity.atLeast(1), HTTP_SERVER));
        r.register(DirectiveSpec.repeatable("server_name", Arity.atLeast(1), HTTP_SERVER));
        r.register(DirectiveSpec.block("location", Arity.between(1, 2), HTTP_LOCATION, true,
                HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("root", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("internal", Arity.NONE, HTTP_LOCATION));
        r.register(DirectiveSpec.single("satisfy", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("alias", Arity.exactly(1), HTTP_LOCATION));
        r.register(DirectiveSpec.block("types", Arity.NONE, Context.OPAQUE, true, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("default_type", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("error_page", Arity.atLeast(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("client_max_body_size", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        // The largest body the API takes (see ApiFeature); other handlers stream bodies.
        r.register(DirectiveSpec.single("client_body_buffer_size", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        // The http block's is what upstream "server ... resolve" lines use (UpstreamSpec); in server
        // and location it is accepted so that pasted configurations load (proxy_pass takes no variables).
        r.register(DirectiveSpec.single("resolver", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("resolver_timeout", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("keepalive_timeout", Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("keepalive_requests", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("server_tokens", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("absolute_redirect", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("port_in_redirect", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("large_client_header_buffers", Arity.exactly(2), HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("client_header_timeout", Arity.exactly(1), HTTP, HTTP_SERVER));
        r.register(DirectiveSpec.single("client_body_timeout", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("send_timeout", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String name : ACCEPTED_WITHOUT_EFFECT) {
            r.register(DirectiveSpec.single(name, Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        for (String name : ACCEPTED_VALUES_WITHOUT_EFFECT) {
            r.register(DirectiveSpec.single(name, Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        for (String name : TEMP_PATHS) {
            r.register(DirectiveSpec.single(name, Arity.between(1, 4), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        // nginx's cache of open log file descriptors: zonesync keeps its log files open
        r.register(DirectiveSpec.single("open_log_file_cache", Arity.between(1, 4), HTTP, HTTP_SERVER,
                HTTP_LOCATION));
    }
}
