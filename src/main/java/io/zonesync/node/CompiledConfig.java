package io.zonesync.node;

import io.zonesync.access.StreamAccessModule;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.core.CoreModule;
import io.zonesync.core.CoreSettings;
import io.zonesync.access.HttpAccessFeature;
import io.zonesync.http.accesslog.AccessLogModule;
import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.http.api.ApiFeature;
import io.zonesync.http.api.ApiModule;
import io.zonesync.http.dashboard.DashboardFeature;
import io.zonesync.http.dashboard.DashboardModule;
import io.zonesync.http.authjwt.AuthJwtModule;
import io.zonesync.http.authrequest.AuthRequestModule;
import io.zonesync.http.autoindex.AutoindexModule;
import io.zonesync.http.ssi.SsiModule;
import io.zonesync.http.subfilter.SubFilterModule;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.geo.GeoModule;
import io.zonesync.http.gzip.GzipModule;
import io.zonesync.http.headers.HeadersModule;
import io.zonesync.http.realip.RealIpModule;
import io.zonesync.http.rewrite.RewriteModule;
import io.zonesync.http.splitclients.SplitClientsModule;
import io.zonesync.http.staticfiles.StaticModule;
import io.zonesync.http.statuszone.StatusZoneFeature;
import io.zonesync.http.statuszone.StatusZoneModule;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.stubstatus.StubStatusFeature;
import io.zonesync.http.stubstatus.StubStatusModule;
import io.zonesync.http.tryfiles.TryFilesModule;
import io.zonesync.http.keyval.KeyvalHttpFeature;
import io.zonesync.http.limitconn.LimitConnModule;
import io.zonesync.http.limitrate.LimitRateModule;
import io.zonesync.http.map.MapModule;
import io.zonesync.http.metrics.MetricsFeature;
import io.zonesync.http.metrics.MetricsModule;
import io.zonesync.http.metrics.NodeMetrics;
import io.zonesync.http.mirror.MirrorModule;
import io.zonesync.http.limitreq.LimitReqFamily;
import io.zonesync.http.limitreq.LimitReqFeature;
import io.zonesync.http.limitreq.LimitReqModule;
import io.zonesync.http.limitreq.MonotonicClock;
import io.zonesync.http.proxy.ProxyConfig;
import io.zonesync.http.healthcheck.HealthCheckFeature;
import io.zonesync.http.healthcheck.HealthCheckModule;
import io.zonesync.http.healthcheck.NettyHealthProbe;
import io.zonesync.http.proxy.ProxyFeature;
import io.zonesync.http.proxy.ProxyModule;
import io.zonesync.http.proxycache.CachePurgeFamily;
import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.net.LimitConnZones;
import io.zonesync.http.proxycache.ProxyCacheModule;
import io.zonesync.http.core.HttpConfig;
import io.zonesync.http.core.HttpConfigCompiler;
import io.zonesync.http.core.Http2Module;
import io.zonesync.http.core.HttpCoreModule;
import io.zonesync.http.sticky.StickyFamily;
import io.zonesync.http.sticky.StickyModule;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamZoneFamily;
import io.zonesync.http.upstream.UpstreamModule;
import io.zonesync.keyval.KeyvalConfig;
import io.zonesync.keyval.KeyvalFamily;
import io.zonesync.keyval.KeyvalModule;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.stream.core.StreamConfig;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.access.StreamAccessFeature;
import io.zonesync.stream.accesslog.StreamAccessLogFeature;
import io.zonesync.stream.accesslog.StreamLogModule;
import io.zonesync.stream.geo.StreamGeoModule;
import io.zonesync.stream.healthcheck.StreamHealthCheckModule;
import io.zonesync.stream.keyval.StreamKeyvalFeature;
import io.zonesync.stream.limitconn.StreamLimitConnModule;
import io.zonesync.stream.statuszone.StreamStatusZoneModule;
import io.zonesync.stream.map.StreamMapModule;
import io.zonesync.stream.proxy.StreamProxyModule;
import io.zonesync.stream.returns.StreamReturnModule;
import io.zonesync.stream.set.StreamSetModule;
import io.zonesync.stream.splitclients.StreamSplitClientsModule;
import io.zonesync.stream.ssl.StreamSslVariables;
import io.zonesync.stream.sslpreread.StreamSslPrereadModule;
import io.zonesync.stream.upstream.StreamUpstreamModule;
import io.zonesync.sync.cluster.ZoneSyncModule;
import io.zonesync.sync.cluster.ZoneSyncSettings;
import io.zonesync.tls.TlsModule;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration checked and compiled end to end, nothing started: what {@code -t} runs, and what
 * start and reload apply. Zones come from the node's {@link ZoneTable} so a reload keeps them.
 */
record CompiledConfig(
        ParsedConfig parsed,
        CoreSettings core,
        KeyvalConfig.Both keyval,
        ZoneTable.Zones zones,
        HttpConfig http,
        List<StreamServerConf> streamServers,
        StreamConfig stream,
        Optional<ZoneSyncSettings> sync,
        Map<String, UpstreamGroup> upstreams,
        Map<String, UpstreamGroup> streamUpstreams,
        ShownZones shown) {

    /**
     * Every http module, in the order its handlers run within a phase (the first content handler
     * that answers a location wins, so static files come last): one line each.
     */
    private static final List<HttpModule> HTTP_MODULES = List.of(
            HttpModule.directives(new HttpCoreModule()),
            HttpModule.directives(new Http2Module()),
            HttpModule.directives(new AccessLogModule()),
            HttpModule.of(new RealIpModule()),
            HttpModule.of(new RewriteModule()),
            HttpModule.of(new MapModule()),
            HttpModule.of(new SplitClientsModule()),
            HttpModule.of(new GeoModule()),
            new HttpModule(new KeyvalModule(), s -> new KeyvalHttpFeature(s.keyval()::http,
                    () -> s.zones().of(KeyvalFamily.HTTP))),
            new HttpModule(new LimitReqModule(), s -> new LimitReqFeature(s.zones().of(LimitReqFamily.KEY))),
            new HttpModule(new LimitConnModule(LimitConnZones.NONE), s -> new LimitConnModule(s.inForce().httpLimitConns())),
            HttpModule.of(new HttpAccessFeature()),
            HttpModule.of(new AuthRequestModule()),
            HttpModule.of(new AuthJwtModule()),
            HttpModule.directives(new UpstreamModule()),
            HttpModule.directives(new StickyModule()),
            HttpModule.directives(new ProxyCacheModule()),
            // dashboard, then metrics: before every other content module, so that each sees (and refuses)
            // the other content directives beside its own
            new HttpModule(new DashboardModule(), s -> new DashboardFeature()),
            new HttpModule(new MetricsModule(), s -> new MetricsFeature(new NodeMetrics(s.api().state(),
                    s.counters().connections(), s.counters().statusZones(), s.counters()::streamZoneFigures,
                    s.clock()))),
            new HttpModule(new ProxyModule(), s -> new ProxyFeature(s.proxy(), () -> s.zones().of(StickyFamily.KEY),
                    () -> s.zones().of(UpstreamZoneFamily.KEY), () -> s.zones().of(CachePurgeFamily.KEY),
                    s.clock(), s.counters().resolvers(), s.inForce().caches())),
            new HttpModule(new HealthCheckModule(), s -> new HealthCheckFeature(() -> s.proxy().upstreams(),
                    () -> s.zones().of(UpstreamZoneFamily.KEY), NettyHealthProbe::runtime)),
            new HttpModule(new ApiModule(), HttpServices::api),
            HttpModule.of(new TryFilesModule()),
            HttpModule.of(new MirrorModule()),
            HttpModule.of(new HeadersModule()),
            HttpModule.of(new SubFilterModule()),
            HttpModule.of(new SsiModule()),
            HttpModule.of(new GzipModule()),
            HttpModule.of(new LimitRateModule()),
            new HttpModule(new StubStatusModule(), s -> new StubStatusFeature(s.counters().connections())),
            new HttpModule(new StatusZoneModule(), s -> new StatusZoneFeature(s.counters().statusZones())),
            HttpModule.directives(new AutoindexModule()),
            HttpModule.of(new StaticModule()));

    /**
     * The stream modules, in the order their handlers run within a phase: one line each. zone_sync
     * and TLS are directives the zone_sync server reads; the others make up the stream proxy.
     */
    private static final List<StreamModule> STREAM_MODULES = List.of(
            StreamModule.directives(new StreamCoreModule()),
            StreamModule.directives(new ZoneSyncModule()),
            StreamModule.directives(new TlsModule()),
            new StreamModule(new StreamAccessModule(), s -> new StreamAccessFeature()),
            new StreamModule(new StreamLogModule(), s -> new StreamAccessLogFeature(s.logs())),
            new StreamModule(new StreamStatusZoneModule(null), s -> new StreamStatusZoneModule(s.statusZones())),
            new StreamModule(new StreamLimitConnModule(LimitConnZones.NONE),
                    s -> new StreamLimitConnModule(s.inForce().streamLimitConns())),
            new StreamModule(new StreamSetModule(), s -> new StreamSetModule()),
            new StreamModule(new StreamMapModule(), s -> new StreamMapModule()),
            new StreamModule(new StreamGeoModule(), s -> new StreamGeoModule()),
            new StreamModule(new StreamSplitClientsModule(), s -> new StreamSplitClientsModule()),
            new StreamModule(null, s -> new StreamKeyvalFeature(s.keyval()::stream,
                    () -> s.zones().of(KeyvalFamily.STREAM))),
            new StreamModule(new StreamSslPrereadModule(), s -> new StreamSslPrereadModule()),
            new StreamModule(null, s -> new StreamSslVariables()),
            StreamModule.directives(new StreamUpstreamModule()),
            new StreamModule(new StreamProxyModule(),
                    s -> new StreamProxyModule(() -> s.zones().of(UpstreamZoneFamily.STREAM), s.resolvers())),
            new StreamModule(new StreamHealthCheckModule(),
                    s -> new StreamHealthCheckModule(() -> s.zones().of(UpstreamZoneFamily.STREAM))),
            new StreamModule(new StreamReturnModule(), s -> new StreamReturnModule()));

    /** Every module's directives (the main context's first), in the order {@code -V} lists them. */
    static List<ConfModule> modules() {
        List<ConfModule> all = new ArrayList<>();
        all.add(new CoreModule());
        HTTP_MODULES.forEach(m -> all.add(m.directives()));
        STREAM_MODULES.stream().filter(m -> m.directives() != null).forEach(m -> all.add(m.directives()));
        return all;
    }

    /** Every kind of shared-memory zone, in the order their zones are declared: one line each. */
    static List<ZoneFamily<?, ?>> zoneFamilies(Clock clock, StampSource stamps, ResolverZones resolvers) {
        return List.of(KeyvalFamily.http(clock, stamps), KeyvalFamily.stream(clock, stamps),
                new StickyFamily(clock, stamps), new LimitReqFamily(MonotonicClock.system(), stamps, clock),
                new UpstreamZoneFamily(stamps, resolvers), UpstreamZoneFamily.stream(stamps, resolvers),
                new CachePurgeFamily(clock, stamps));
    }

    /** A check: stream access logs are opened and closed again, not kept; nothing is in force before it. */
    static CompiledConfig compile(ParsedConfig parsed, ZoneTable table, Clock clock, ApiFeature api,
            NodeCounters counters, ZoneSyncSettings.HostResolver hosts) throws ConfigException {
        return compile(parsed, table, clock, api, counters, hosts, null, ShownZones.NONE);
    }

    /** @param inForce what the configuration in force shows, whose zones this one's take over by name */
    static CompiledConfig compile(ParsedConfig parsed, ZoneTable table, Clock clock, ApiFeature api,
            NodeCounters counters, ZoneSyncSettings.HostResolver hosts, AccessLogWriter streamLogs,
            ShownZones inForce) throws ConfigException {
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(modules().toArray(new ConfModule[0]));
        registry.validate(parsed.root());
        CoreSettings core = CoreSettings.from(parsed);
        KeyvalConfig.Both keyval = KeyvalConfig.compile(parsed);
        ProxyConfig proxyConfig = ProxyConfig.parse(parsed);
        Set<String> resolverZones = ResolverZones.declaredBy(parsed.root());
        ZoneTable.Zones zones = table.prepare(parsed);
        HttpServices services = new HttpServices(zones, clock, api, counters, keyval, proxyConfig, inForce);
        List<HttpFeature> features = new ArrayList<>();
        for (HttpModule m : HTTP_MODULES) {
            HttpFeature f = m.feature().apply(services);
            if (f != null) {
                features.add(f);
            }
        }
        HttpConfigCompiler compiler = new HttpConfigCompiler(features);
        HttpConfig http = compiler.compile(parsed);
        List<StreamServerConf> streamServers = List.of();
        Optional<ZoneSyncSettings> sync = Optional.empty();
        StreamConfig streamConfig = StreamConfig.EMPTY;
        Map<String, UpstreamGroup> streamUpstreams = Map.of();
        List<StreamFeature> streamFeatures = new ArrayList<>();
        Directive stream = parsed.root().first("stream");
        if (stream != null) {
            streamServers = StreamServerConf.compileAll(Scope.root(parsed.root()).child(Context.STREAM, stream.block()));
            sync = ZoneSyncSettings.compile(streamServers, hosts, confDir(parsed));
            for (StreamModule m : STREAM_MODULES) {
                StreamFeature f = m.feature().apply(new StreamServices(zones, clock, keyval, streamLogs,
                        counters.streamZones(), counters.resolvers(), inForce));
                if (f != null) {
                    streamFeatures.add(f);
                }
            }
            streamConfig = StreamConfig.compile(parsed, streamServers, streamFeatures, clock, List.of());
            streamUpstreams = only(streamFeatures, StreamProxyModule.class).map(StreamProxyModule::groups)
                    .orElse(Map.of());
        }
        Optional<ProxyFeature> proxy = only(features, ProxyFeature.class);
        Map<String, UpstreamGroup> upstreams = proxy.map(ProxyFeature::groups).orElse(Map.of());
        ShownZones shown = new ShownZones(
                only(features, LimitConnModule.class).map(LimitConnModule::zones).orElse(LimitConnZones.NONE),
                only(streamFeatures, StreamLimitConnModule.class).map(StreamLimitConnModule::zones)
                        .orElse(LimitConnZones.NONE),
                proxy.map(ProxyFeature::caches).orElse(CacheReports.NONE), resolverZones,
                only(features, StatusZoneFeature.class).map(StatusZoneFeature::named).orElse(StatusZones.Named.NONE),
                only(streamFeatures, StreamStatusZoneModule.class).map(StreamStatusZoneModule::named)
                        .orElse(Set.of()));
        return new CompiledConfig(parsed, core, keyval, zones, http, streamServers, streamConfig, sync, upstreams,
                streamUpstreams, shown);
    }

    /** The one feature of this class among a configuration's features, which the node reads after compiling. */
    private static <F> Optional<F> only(List<?> features, Class<F> type) {
        return features.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** nginx's conf prefix: certificates and keys are relative to the main configuration file's directory. */
    private static Path confDir(ParsedConfig parsed) {
        return parsed.file() != null && parsed.file().getParent() != null ? parsed.file().getParent() : parsed.prefix();
    }
}
