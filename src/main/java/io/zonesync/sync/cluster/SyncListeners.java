package io.zonesync.sync.cluster;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.zonesync.log.RepeatedLog;
import io.zonesync.log.Severity;
import io.zonesync.net.AcceptErrors;
import io.zonesync.net.AddressText;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamListen;
import io.zonesync.sync.link.PeerLink;
import io.zonesync.tls.HandshakeFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone_sync listeners: binds them, admits each accepted connection as an inbound link
 * ({@code worker_connections}, the stream {@code allow}/{@code deny} rules, then TLS when the
 * listener has {@code ssl}), and logs the connections that end before their HELLO as nginx logs
 * its clients, once per reason and client host and then summarised, since load balancers and
 * scanners probe a port over and over. Which peer may have the link is decided at its HELLO
 * ({@link SyncCluster#helloReceived}).
 */
final class SyncListeners {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCluster.class);

    private final SyncCluster cluster;
    private final List<Channel> channels = new ArrayList<>();
    /** Connections that end before their HELLO (probes, plaintext on TLS, refused certificates): by reason and client host. */
    private final RepeatedLog clientFailures;
    /** Clients the access rules deny, at error as nginx logs them: by rule and client host. */
    private final RepeatedLog clientsRefused;

    SyncListeners(SyncCluster cluster, Clock wall) {
        this.cluster = cluster;
        this.clientFailures = new RepeatedLog(LOG, Severity.INFO, SyncCluster.SUMMARY_INTERVAL, wall);
        this.clientsRefused = new RepeatedLog(LOG, Severity.ERROR, SyncCluster.SUMMARY_INTERVAL, wall);
    }

    /** Binds every {@code listen} of the zone_sync server; on a failure, closes those bound and says which. */
    void bind(ZoneSyncSettings settings) throws IOException {
        Transport transport = cluster.transport();
        for (StreamListen l : settings.server().listens()) {
            SocketAddress addr = l.endpoint().bindAddress();
            ChannelFuture f = new ServerBootstrap().group(transport.group())
                    .channel(transport.serverChannel(addr))
                    .option(ChannelOption.SO_BACKLOG, l.backlog())
                    .handler(AcceptErrors.on(l.endpoint().toString(), transport))
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, cluster.waterMark())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted(ch, l);
                        }
                    })
                    .bind(addr).awaitUninterruptibly();
            if (!f.isSuccess()) {
                close();
                throw new IOException("bind() to " + l.endpoint() + " failed for zone_sync (" + f.cause().getMessage()
                        + ") in " + l.directive().where(), f.cause());
            }
            channels.add(f.channel());
            cluster.connectionLimit().listening(f.channel());
            LOG.info(SyncCluster.NOTICE, "zone_sync: listening on {}", AddressText.hostPort(f.channel().localAddress()));
        }
    }

    private void accepted(Channel ch, StreamListen l) {
        if (cluster.isStopping() || !cluster.connectionLimit().admitSync(ch)) {
            cluster.connectionLimit().stats().dropped(ch);
            ch.close();
            return;
        }
        cluster.connectionLimit().stats().accepted(ch);
        PeerLink link = cluster.newLink(false);
        String forbidden = cluster.settings().security().admitInbound(ch, l.ssl(),
                why -> link.failedBeforeHello(HandshakeFailure.nginxWords(why, null)),
                cluster.connectionLimit().stats().handshakes());
        if (forbidden != null) {
            cluster.linkNeverConnected(link);
            summarise(clientsRefused, ch, forbidden);
            ch.close();
            return;
        }
        link.reportEarlyFailuresTo(why -> summarise(clientFailures, ch, why));
        cluster.initLink(ch, link);
    }

    private static void summarise(RepeatedLog log, Channel ch, String why) {
        SocketAddress remote = ch.remoteAddress();
        String host = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        log.log(why + "|" + host, "zone_sync: " + why + ", client: " + AddressText.hostPort(remote)
                + ", server: " + AddressText.hostPort(ch.localAddress()));
    }

    /** Writes the summaries of repeated client failures that are due. */
    void flushSummaries() {
        clientFailures.flush();
        clientsRefused.flush();
    }

    /** The addresses bound (port 0 resolved). */
    List<SocketAddress> boundAddresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Channel c : channels) {
            out.add(c.localAddress());
        }
        return out;
    }

    void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
        channels.clear();
    }

    /** The listen addresses of a configuration, to tell whether a reload changed them. */
    static List<String> listenOf(ZoneSyncSettings s) {
        List<String> out = new ArrayList<>();
        for (StreamListen l : s.server().listens()) {
            out.add(l.endpoint() + (l.ssl() ? " ssl" : ""));
        }
        return out;
    }
}
