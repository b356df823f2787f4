package io.zonesync.stream.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.stream.StreamListen;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.tls.ServerTls;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream proxy servers of one configuration, compiled (every stream server but the zone_sync
 * one), with what their modules need shut when the configuration is replaced. Immutable.
 */
public record StreamConfig(List<StreamServer> servers, List<AutoCloseable> resources) {

    public static final StreamConfig EMPTY = new StreamConfig(List.of(), List.of());

    /**
     * Compiles the proxy servers among {@code servers} with {@code features} in registration order.
     * {@code resources} collects what the features opened for this configuration (log files).
     */
    /** Where certificate paths are relative to: the main configuration file's directory, as nginx's conf prefix. */
    private static Path confDir(ParsedConfig config) {
        Path file = config.file();
        return file != null && file.getParent() != null ? file.getParent() : config.prefix();
    }

    public static StreamConfig compile(ParsedConfig config, List<StreamServerConf> servers,
            List<StreamFeature> features, Clock clock, List<AutoCloseable> resources) throws ConfigException {
        var streamDirective = config.root().first("stream");
        if (streamDirective == null) {
            return EMPTY;
        }
        Scope stream = Scope.root(config.root()).child(Context.STREAM, streamDirective.block());
        StreamVariables variables = StreamVariables.withCore();
        StreamCompile compile = new StreamCompile(stream, variables, config, clock);
        for (StreamFeature f : features) {
            f.defineVariables(compile);
        }
        for (StreamFeature f : features) {
            f.finishVariables(compile);
        }
        List<StreamServer> out = new ArrayList<>();
        Map<String, StreamListen> bound = new HashMap<>();
        for (StreamServerConf s : servers) {
            if (s.scope().block().has("zone_sync")) {
                continue;
            }
            for (StreamListen l : s.listens()) {
                String key = l.endpoint() + (l.udp() ? "/udp" : "/tcp");
                if (bound.putIfAbsent(key, l) != null) {
                    throw l.directive().error("duplicate \"%s\" address and port pair", l.endpoint());
                }
            }
            StreamServer.Builder b = new StreamServer.Builder(s);
            StreamListen ssl = s.listens().stream().filter(StreamListen::ssl).findFirst().orElse(null);
            if (ssl != null) {
                if (ssl.udp()) {
                    throw ssl.directive().error("\"ssl\" parameter is incompatible with \"udp\"");
                }
                b.tls(ServerTls.compile(s.scope(), ssl.directive().where(), confDir(config)));
            }
            Directive ppt = s.scope().effectiveFirst("proxy_protocol_timeout");
            if (ppt != null) {
                b.proxyProtocolTimeoutMs(Values.positiveTimeMs(ppt, ppt.arg(0)));
            }
            for (StreamFeature f : features) {
                f.configureServer(compile, b);
            }
            out.add(b.build());
        }
        variables.freeze();
        return new StreamConfig(List.copyOf(out), List.copyOf(resources));
    }
}
