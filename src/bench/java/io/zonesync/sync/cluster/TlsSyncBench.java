package io.zonesync.sync.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.TestPki;
import io.zonesync.tls.TlsModule;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bench/tls: two sync engines on loopback, plain TCP and mutual TLS side by side in one run:
 * snapshot time of a pre-filled zone to a joining node, live replication throughput, and the
 * handshake rate of a TLS zone_sync listener. Run by bench/tls/run.sh; prints one line per figure.
 */
public final class TlsSyncBench {
    private static final String VALUE = "v".repeat(64);

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path dir = Files.createTempDirectory("tls-bench");
        TestPki pki = TestPki.ca("bench-ca");
        pki.writeCa(dir.resolve("ca.pem"));
        TestPki.writePair(pki.issue("node", "127.0.0.1", "127.0.0.2", "127.0.0.3"), dir.resolve("node.pem"),
                dir.resolve("node.key"));
        String tls = "ssl_certificate node.pem; ssl_certificate_key node.key; ssl_verify_client on;"
                + " ssl_trusted_certificate ca.pem; zone_sync_ssl on; zone_sync_ssl_verify on;"
                + " zone_sync_ssl_trusted_certificate ca.pem; zone_sync_ssl_certificate node.pem;"
                + " zone_sync_ssl_certificate_key node.key;";
        System.out.printf("records=%d value=%dB cores=%d%n", records, VALUE.length(),
                Runtime.getRuntime().availableProcessors());
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            for (boolean secure : new boolean[] {false, true}) {
                run(dir, secure ? tls : "", secure, records, round == 1);
            }
        }
        handshakes(dir, tls, seconds);
    }

    private static ZoneSyncSettings settings(Path dir, String listen, List<String> peers, String extra, boolean ssl)
            throws Exception {
        StringBuilder b = new StringBuilder("stream { server { listen " + listen + (ssl ? " ssl" : "")
                + "; zone_sync; zone_sync_connect_retry_interval 50ms; zone_sync_buffers 256 16k; ");
        for (String p : peers) {
            b.append("zone_sync_server ").append(p).append("; ");
        }
        b.append(extra).append(" } }\n");
        Block root = ConfigParser.parseString(b.toString(), "bench.conf");
        DirectiveRegistry r = new DirectiveRegistry();
        r.registerAll(new StreamCoreModule(), new ZoneSyncModule(), new TlsModule());
        r.validate(root);
        Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return ZoneSyncSettings.compile(StreamServerConf.compileAll(stream), ZoneSyncSettings.HostResolver.SYSTEM, dir)
                .orElseThrow();
    }

    private static final class Engine implements AutoCloseable {
        final long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        final HybridLogicalClock clock = HybridLogicalClock.of(id, Clock.systemUTC());
        final MapZone zone = new MapZone("one", clock);
        final SyncCluster cluster;

        Engine(ZoneSyncSettings s, Transport t) {
            cluster = new SyncCluster(s, id, clock, Clock.systemUTC(), t);
            cluster.setZones(List.of(zone));
        }

        @Override
        public void close() {
            cluster.stop();
        }
    }

    private static void run(Path dir, String extra, boolean ssl, int records, boolean print) throws Exception {
        Transport ta = Transport.create(1, "bench-a");
        Transport tb = Transport.create(1, "bench-b");
        // a on 127.0.0.2, b on 127.0.0.3, at one port held on 127.0.0.1: each lists the other before it starts
        try (HeldPort held = new HeldPort();
                Engine a = new Engine(settings(dir, "127.0.0.2:" + held.port(), peers(held), extra, ssl), ta);
                Engine b = new Engine(settings(dir, "127.0.0.3:" + held.port(), peers(held), extra, ssl), tb)) {
            for (int i = 0; i < records; i++) {
                a.zone.put("snap-" + i, VALUE);
            }
            a.cluster.start();
            long t0 = System.nanoTime();
            b.cluster.start();
            waitFor(() -> b.zone.recordCount() >= records);
            long snapshotNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                a.zone.put("live-" + i, VALUE);
            }
            waitFor(() -> b.zone.recordCount() >= 2L * records);
            long liveNs = System.nanoTime() - t0;
            if (print) {
                System.out.printf("%-5s snapshot %d records: %.0f ms (%.0f records/s); live %d writes: %.0f ms"
                        + " (%.0f records/s)%n", ssl ? "tls" : "plain", records, snapshotNs / 1e6,
                        records / (snapshotNs / 1e9), records, liveNs / 1e6, records / (liveNs / 1e9));
            }
        } finally {
            ta.shutdown();
            tb.shutdown();
        }
    }

    private static List<String> peers(HeldPort held) {
        return List.of("127.0.0.2:" + held.port(), "127.0.0.3:" + held.port());
    }

    private static void waitFor(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the benchmark did not finish within 5 minutes");
            }
            Thread.sleep(1); // a benchmark's polling loop, not a test's wait
        }
    }

    /** Full handshakes (no session reuse) against a TLS listener that requires client certificates. */
    private static void handshakes(Path dir, String tls, int seconds) throws Exception {
        Transport t = Transport.create(1, "bench-listener");
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Engine server = new Engine(settings(dir, "127.0.0.1:0", List.of(), tls, true), t)) {
            server.cluster.start();
            int port = ((InetSocketAddress) server.cluster.boundAddresses().get(0)).getPort();
            PrivateKey key = TestPkiKeys.key(dir.resolve("node.key"));
            SslContext ctx = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                    .endpointIdentificationAlgorithm(null)
                    .keyManager(key, TestPkiKeys.certs(dir.resolve("node.pem")))
                    .trustManager(TestPkiKeys.certs(dir.resolve("ca.pem"))).build();
            for (String phase : new String[] {"warm-up", "measured"}) {
                int concurrency = 8;
                Semaphore inFlight = new Semaphore(concurrency);
                AtomicLong ok = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(phase.equals("warm-up") ? 2 : seconds);
                long t0 = System.nanoTime();
                while (System.nanoTime() < end) {
                    inFlight.acquire();
                    new Bootstrap().group(clients).channel(NioSocketChannel.class)
                            .handler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel ch) {
                                    SslHandler h = ctx.newHandler(ch.alloc());
                                    ch.pipeline().addLast(h);
                                    h.handshakeFuture().addListener(f -> {
                                        (f.isSuccess() ? ok : failed).incrementAndGet();
                                        ch.close();
                                        inFlight.release();
                                    });
                                }
                            }).connect(new InetSocketAddress("127.0.0.1", port)).addListener(f -> {
                                if (!f.isSuccess()) {
                                    failed.incrementAndGet();
                                    inFlight.release();
                                }
                            });
                }
                inFlight.acquire(concurrency);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (phase.equals("measured")) {
                    System.out.printf("handshakes: %.0f/s (full TLSv1.3 handshakes, mutual, RSA-2048, %d concurrent,"
                            + " %d ok, %d failed, %.1f s)%n", ok.get() / secs, concurrency, ok.get(), failed.get(), secs);
                }
            }
        } finally {
            clients.shutdownGracefully().awaitUninterruptibly();
            t.shutdown();
        }
    }
}
