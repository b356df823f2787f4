package io.zonesync.stream.proxy;

import static io.zonesync.config.Context.STREAM;
import static io.zonesync.config.Context.STREAM_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamZones;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.stream.StreamListen;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.upstream.StreamUpstreams;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * nginx's stream proxy module: {@code proxy_pass upstream|host:port|$variable} and the settings
 * of {@link ProxySettings}. Each TCP connection is relayed by a {@link ProxySession}, each UDP
 * session by a {@link UdpProxySession}.
 */
public final class StreamProxyModule implements ConfModule, StreamFeature {
    private final Supplier<Map<String, UpstreamZones>> zones;
    private final ResolverZones resolvers;
    private StreamUpstreams upstreams;

    /** The module's directives alone. */
    public StreamProxyModule() {
        this(Map::of, new ResolverZones());
    }

    /**
     * @param zones     the stream upstreams' zones by name, where an upstream with {@code zone} keeps its servers
     * @param resolvers the node's resolver status zones, where {@code proxy_pass $var} lookups are counted
     */
    public StreamProxyModule(Supplier<Map<String, UpstreamZones>> zones, ResolverZones resolvers) {
        this.zones = zones;
        this.resolvers = resolvers;
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_proxy_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("proxy_pass", Arity.exactly(1), STREAM_SERVER));
        for (String one : new String[] {"proxy_connect_timeout", "proxy_timeout", "proxy_next_upstream_tries",
            "proxy_next_upstream_timeout", "proxy_buffer_size", "proxy_upload_rate", "proxy_download_rate",
            "proxy_responses"}) {
            r.register(DirectiveSpec.single(one, Arity.exactly(1), STREAM, STREAM_SERVER));
        }
        for (String flag : new String[] {"proxy_next_upstream", "proxy_protocol", "proxy_half_close", "proxy_ssl",
            "proxy_ssl_verify", "proxy_ssl_server_name", "proxy_socket_keepalive"}) {
            r.register(DirectiveSpec.single(flag, Arity.FLAG, STREAM, STREAM_SERVER));
        }
        for (String one : new String[] {"proxy_ssl_certificate", "proxy_ssl_certificate_key",
            "proxy_ssl_password_file", "proxy_ssl_ciphers", "proxy_ssl_trusted_certificate", "proxy_ssl_crl",
            "proxy_ssl_verify_depth", "proxy_ssl_name"}) {
            r.register(DirectiveSpec.single(one, Arity.exactly(1), STREAM, STREAM_SERVER));
        }
        r.register(DirectiveSpec.single("proxy_ssl_protocols", Arity.atLeast(1), STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.single("proxy_bind", Arity.between(1, 2), STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.single("proxy_ssl_session_reuse", Arity.FLAG, STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.repeatable("proxy_ssl_conf_command", Arity.exactly(2), STREAM, STREAM_SERVER));
    }

    /** Where certificate paths are relative to: the main configuration file's directory, as nginx's conf prefix. */
    private static Path confDir(StreamCompile stream) {
        Path file = stream.config().file();
        return file != null && file.getParent() != null ? file.getParent() : stream.config().prefix();
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        upstreams = StreamUpstreams.compile(stream.scope(), stream.variables(), stream.clock(), zones.get());
    }

    /** The stream block's upstream groups by name, once compiled (empty before). */
    public Map<String, UpstreamGroup> groups() {
        return upstreams == null ? Map.of() : upstreams.groups();
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        Directive pass = server.conf().scope().block().first("proxy_pass");
        if (pass == null) {
            return;
        }
        ProxySettings settings = ProxySettings.of(server.conf().scope(), confDir(stream), stream.variables());
        String target = pass.arg(0);
        ProxyTarget t;
        if (StreamValue.hasVariables(target)) {
            Directive r = server.conf().scope().effectiveFirst("resolver");
            ResolverConf resolver = r == null ? null
                    : ResolverConf.parse(r, server.conf().scope().effectiveFirst("resolver_timeout"));
            t = new ProxyTarget.Dynamic(StreamValue.compile(target, stream.variables(), pass.where()), upstreams,
                    stream.clock(), pass, resolver, resolvers);
        } else {
            StreamUpstreams.Group g = upstreams.named(target);
            if (g == null) {
                try {
                    UpstreamGroup implicit = StreamUpstreams.implicit(target, true, stream.clock(), pass.where());
                    g = new StreamUpstreams.Group(implicit, null);
                } catch (StreamUpstreams.BadTarget e) {
                    throw pass.error("%s", e.getMessage());
                }
            }
            t = new ProxyTarget.Fixed(g);
        }
        if (server.conf().listens().stream().anyMatch(StreamListen::udp)) {
            if (settings.proxyProtocol() || settings.uploadRate() > 0 || settings.downloadRate() > 0
                    || settings.tls() != null) {
                throw pass.error("proxy_protocol, proxy_ssl, proxy_upload_rate and proxy_download_rate are not"
                        + " supported in a server with a udp listener");
            }
        }
        ProxyTarget chosen = t;
        server.content(session -> {
            if (session.isUdp()) {
                new UdpProxySession(session, settings, chosen).start();
            } else {
                new ProxySession(session, settings, chosen).start();
            }
        }, pass);
    }
}
