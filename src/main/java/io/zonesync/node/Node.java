package io.zonesync.node;

import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.core.CoreSettings;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.http.api.ApiFeature;
import io.zonesync.http.api.ApiHandler;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.log.LogMarkers;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.stream.core.StreamRuntime;
import io.zonesync.stream.statuszone.StreamStatusZones;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.sync.cluster.SyncCluster;
import io.zonesync.sync.cluster.ZoneSyncSettings;
import io.zonesync.sync.proto.RecordBatchWriter;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneFamily;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running zonesync node: everything one configuration describes (HTTP listeners, zones and their
 * state files, the zone_sync cluster), assembled from the feature packages. The command line drives
 * it; signals map onto its methods. Zones outlive configurations (see {@link ZoneTable}).
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** How long QUIT waits for requests in flight when worker_shutdown_timeout is not set. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final Clock clock;
    private final long nodeId;
    private final HybridLogicalClock hlc;
    private final ZoneTable zones;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService apiExecutor;
    private final ApiFeature api;
    private final Transport httpTransport;
    private final Transport syncTransport;
    /** worker_connections over every socket of the node. */
    private final ConnectionLimit connections;
    private final NodeCounters counters;
    /** The stream access logs' writer (http's runtime has its own). */
    private final AccessLogWriter streamLogs = new AccessLogWriter();
    private final AtomicLong generation = new AtomicLong(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Instant loadTime;
    private volatile CompiledConfig current;
    private volatile HttpRuntime http;
    private volatile StreamRuntime stream;
    private volatile SyncCluster sync;
    private volatile boolean stopped;

    private Node(Clock clock, int workerThreads, int workerConnections) {
        this.clock = clock;
        this.nodeId = newNodeId();
        this.hlc = HybridLogicalClock.of(nodeId, clock);
        ResolverZones resolvers = new ResolverZones();
        this.zones = new ZoneTable(CompiledConfig.zoneFamilies(clock, hlc, resolvers));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("zonesync-timer"));
        this.apiExecutor = Executors.newSingleThreadExecutor(daemon("zonesync-api"));
        NodeApiState state = new NodeApiState(() -> current == null ? null : current.zones(), () -> sync,
                generation::get, () -> loadTime);
        state.upstreams(() -> current == null ? null : current.upstreams());
        state.streamUpstreams(() -> current == null ? null : current.streamUpstreams());
        state.shown(() -> current == null ? ShownZones.NONE : current.shown());
        this.api = new ApiFeature(new ApiHandler(state), apiExecutor);
        this.httpTransport = Transport.create(workerThreads, "zonesync-http");
        this.syncTransport = Transport.create(1, "zonesync-sync");
        this.connections = ConnectionLimit.of(workerConnections);
        connections.stats().countPerWorker(httpTransport.group()); // the workers of the API's /workers
        this.counters = new NodeCounters(connections.stats(), new StatusZones(), new StreamStatusZones(), resolvers);
        state.counters(counters);
    }

    /** The directives of every module built in, for {@code -V}. */
    public static List<ConfModule> modules() {
        return CompiledConfig.modules();
    }

    /**
     * The second half of {@code -t}: opening the files a start would open (access logs, the zones'
     * files such as keyval {@code state=}). nginx -t does it after saying "syntax is ok", so a
     * failure here comes after that line.
     */
    @FunctionalInterface
    public interface FileCheck {
        void run() throws ConfigException;
    }

    /** Validates and compiles a configuration, then opens its files, without starting anything ({@code -t}). */
    public static void check(ParsedConfig config) throws ConfigException {
        checkSyntax(config).run();
    }

    /** Validates and compiles a configuration without starting anything; returns the check of its files. */
    public static FileCheck checkSyntax(ParsedConfig config) throws ConfigException {
        HybridLogicalClock throwaway = HybridLogicalClock.of(1, Clock.systemUTC());
        ApiFeature api = new ApiFeature(new ApiHandler(new NodeApiState(() -> null, () -> null, () -> 0L,
                Instant::now)), Runnable::run);
        CompiledConfig c = CompiledConfig.compile(config,
                new ZoneTable(CompiledConfig.zoneFamilies(Clock.systemUTC(), throwaway, new ResolverZones())),
                Clock.systemUTC(), api, NodeCounters.throwaway(), ZoneSyncSettings.HostResolver.SYSTEM);
        return () -> {
            c.zones().check(); // what a start's commit would refuse of the zones' files (keyval state=)
            // As nginx -t does, open (and create) every access log, so a path a start could not open fails here.
            for (AccessLog log : c.http().accessLogs()) {
                try {
                    AccessLogWriter.probe(log.path());
                } catch (IOException e) {
                    throw new ConfigException(e.getMessage(), null, e);
                }
            }
        };
    }

    /** Builds and starts a node: opens zones (loading state files), binds listeners, joins the cluster. */
    public static Node start(ParsedConfig config) throws ConfigException, IOException {
        return start(config, Clock.systemUTC());
    }

    static Node start(ParsedConfig config, Clock clock) throws ConfigException, IOException {
        CoreSettings core = CoreSettings.from(config);
        Node node = new Node(clock, core.workerProcesses(), core.workerConnections());
        try {
            node.begin(config);
        } catch (ConfigException | IOException | RuntimeException e) {
            node.stop();
            throw e;
        }
        return node;
    }

    private void begin(ParsedConfig config) throws ConfigException, IOException {
        CompiledConfig c = compile(config);
        zones.commit(c.zones(), commitContext(c));
        inForce(c);
        loadTime = clock.instant();
        connections.configure(c.core().workerConnections(), c.sync().isPresent());
        http = HttpRuntime.start(c.http(), httpTransport, false, clock, connections);
        stream = new StreamRuntime(httpTransport, connections, clock);
        stream.apply(c.stream());
        startSync(c);
        scheduler.scheduleWithFixedDelay(this::expireQuietly, 1, 1, TimeUnit.SECONDS);
        LOG.info(LogMarkers.NOTICE, "zonesync {} started, node id {}", CoreVariables.VERSION,
                Long.toHexString(nodeId));
    }

    /** Compiles a configuration from the one in force (whose zones it takes over by name). */
    private CompiledConfig compile(ParsedConfig config) throws ConfigException {
        CompiledConfig c = current;
        return CompiledConfig.compile(config, zones, clock, api, counters, ZoneSyncSettings.HostResolver.SYSTEM,
                streamLogs, c == null ? ShownZones.NONE : c.shown());
    }

    /**
     * Puts a configuration in force once everything it needed was done: the reports read its zones
     * from then on (nothing a configuration that failed on its way declared is shown).
     */
    private void inForce(CompiledConfig c) {
        counters.resolvers().declare(c.shown().resolvers());
        counters.statusZones().inForce(c.shown().statusZones());
        counters.streamZones().inForce(c.shown().streamStatusZones());
        current = c;
    }

    /**
     * What a configuration's zones learn when it is committed: the key and payload bytes one record
     * fits in a zone_sync_buffers buffer (the largest frame this node sends; the default without
     * zone_sync), and the timer thread.
     */
    private ZoneFamily.Commit commitContext(CompiledConfig c) {
        int frameBytes = c.sync().map(ZoneSyncSettings::bufferSize).orElse(ZoneSyncSettings.PAGE_SIZE);
        return new ZoneFamily.Commit((zone, type) -> frameBytes
                - RecordBatchWriter.headerSize(new ZoneSignature(zone, type.tag(), type.codecVersion()))
                - RecordBatchWriter.recordSize(0, 0), scheduler);
    }

    private void startSync(CompiledConfig c) throws IOException {
        if (c.sync().isEmpty()) {
            return;
        }
        SyncCluster cluster = new SyncCluster(c.sync().get(), nodeId, hlc, clock, syncTransport, connections,
                counters.resolvers());
        cluster.setZones(replicated(c));
        cluster.start();
        sync = cluster;
    }

    /** The synced zones of a configuration, every family's. */
    private List<ReplicatedZone<?>> replicated(CompiledConfig c) {
        return zones.replicated(c.zones());
    }

    /**
     * HUP: applies a new configuration. A bad one throws and the old one keeps serving; a good one
     * keeps the contents of zones that keep their name and type.
     */
    public synchronized void reload(ParsedConfig config) throws ConfigException, IOException {
        CompiledConfig next = compile(config);
        CompiledConfig before = current;
        zones.commit(next.zones(), commitContext(next));
        try {
            http.apply(next.http());
        } catch (IOException | RuntimeException e) {
            restoreZones(before);
            throw e;
        }
        try {
            stream.apply(next.stream());
        } catch (IOException | RuntimeException e) {
            try {
                http.apply(before.http());
            } catch (IOException | RuntimeException again) {
                LOG.error("restoring the http configuration in force failed", again);
            }
            restoreZones(before);
            throw e;
        }
        SyncCluster cluster = sync;
        if (cluster != null && next.sync().isEmpty()) {
            cluster.quit();
            sync = null;
        } else if (cluster == null) {
            startSync(next);
        } else {
            cluster.reconfigure(next.sync().get(), replicated(next));
        }
        connections.configure(next.core().workerConnections(), next.sync().isPresent());
        inForce(next);
        loadTime = clock.instant();
        generation.incrementAndGet();
        LOG.info(LogMarkers.NOTICE, "configuration reloaded (generation {})", generation.get());
    }

    /**
     * After a reload failed past committing its zones: commits the zones of the configuration in
     * force again (the zones the failed one dropped are opened again, its new ones released), so
     * the old configuration stays whole, as nginx's does.
     */
    private void restoreZones(CompiledConfig before) {
        try {
            zones.commit(before.zones(), commitContext(before));
        } catch (IOException | RuntimeException e) {
            LOG.error("restoring the zones of the configuration in force failed", e);
        }
    }

    /** QUIT: stop accepting, finish requests in flight, flush pending sync records, save state files. Blocks. */
    public void quit() {
        if (stopped) {
            return;
        }
        long timeout = current == null ? 0 : current.core().shutdownTimeoutMs();
        closeStream();
        HttpRuntime h = http;
        if (h != null) {
            h.shutdownGracefully(timeout > 0 ? Duration.ofMillis(timeout) : DEFAULT_GRACE);
        }
        SyncCluster s = sync;
        if (s != null) {
            s.quit();
        }
        finish();
    }

    /** TERM/INT: stop now (state files are still saved: a pair acknowledged by the API is on disk already). */
    public void stop() {
        if (stopped) {
            return;
        }
        closeStream();
        HttpRuntime h = http;
        if (h != null) {
            h.shutdownNow();
        }
        SyncCluster s = sync;
        if (s != null) {
            s.stop();
        }
        finish();
    }

    private void closeStream() {
        StreamRuntime s = stream;
        if (s != null) {
            s.close();
        }
    }

    private synchronized void finish() {
        if (stopped) {
            return;
        }
        stopped = true;
        scheduler.shutdown();
        zones.close();
        streamLogs.close();
        apiExecutor.shutdown();
        httpTransport.close();
        syncTransport.shutdown();
        LOG.info(LogMarkers.NOTICE, "zonesync stopped");
        terminated.countDown();
    }

    /** USR1: reopen the access logs (the error logs are the command line's). */
    public void reopenLogs() {
        HttpRuntime h = http;
        if (h != null) {
            h.reopenLogs();
        }
        streamLogs.reopen();
    }

    /** Blocks until the node has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** The addresses the HTTP listeners are bound to, by listen key (for tests on port 0). */
    public Map<String, SocketAddress> httpAddresses() {
        return http.boundAddresses();
    }

    /** The stream proxy listeners' addresses, by listen address as written (for tests on port 0). */
    /** What the node counts for its reports (status zones, connections), for the reports and tests. */
    NodeCounters counters() {
        return counters;
    }

    public Map<String, SocketAddress> streamAddresses() {
        return stream.boundAddresses();
    }

    /** The zone_sync listeners' addresses, empty without zone_sync. */
    public List<SocketAddress> syncAddresses() {
        SyncCluster s = sync;
        return s == null ? List.of() : s.boundAddresses();
    }

    public long nodeId() {
        return nodeId;
    }

    private void expireQuietly() {
        try {
            zones.expire();
        } catch (RuntimeException e) {
            LOG.error("expiring zones failed", e);
        }
    }

    private static long newNodeId() {
        long id;
        SecureRandom random = new SecureRandom();
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
