package io.zonesync.sync.cluster;

import io.netty.channel.unix.DomainSocketAddress;
import io.zonesync.net.AddressText;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.net.dns.DnsLookup;
import io.zonesync.sync.discovery.DnsMembership;
import io.zonesync.sync.discovery.Member;
import io.zonesync.net.dns.NettyDnsLookup;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.sync.link.PeerLink;
import io.zonesync.sync.proto.GoodbyeReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The nodes this node keeps dialled: one {@link PeerDialer} per address, from the static list or
 * from DNS ({@code resolve}), reconciled whenever either changes. Remembers the nodes the last change
 * removed (their links are refused) and the ones that removed this node (not dialled until our list
 * changes). Knows nothing of what links carry.
 */
final class PeerRoster {
    private static final Logger LOG = LoggerFactory.getLogger(PeerRoster.class);
    private static final Marker NOTICE = SyncCluster.NOTICE;

    private final SyncCluster cluster;
    private final Map<String, PeerDialer> dialers = new LinkedHashMap<>();
    private DnsLookup lookup;
    private DnsMembership membership;

    PeerRoster(SyncCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * The listed address a peer that dialled in stands for, or null when it is not listed: the first
     * of the "host:port" forms of its advertised sync address in the list, else the address whose
     * dial reached the node with this id (a node listed through NAT or a forwarding proxy).
     */
    synchronized String listedKey(Collection<String> addresses, long nodeId) {
        for (String a : addresses) {
            if (dialers.containsKey(a)) {
                return a;
            }
        }
        for (PeerDialer d : dialers.values()) {
            if (nodeId != 0 && d.peerNodeId() == nodeId) {
                return d.name();
            }
        }
        return null;
    }

    /** Dials the static list, or starts following DNS when the names carry "resolve". */
    void start(ZoneSyncSettings s, List<Member> knownFromDns) throws IOException {
        if (s.dnsNames().isEmpty()) {
            reconcile(staticTargets(s), "the configuration");
        } else {
            startDiscovery(s, knownFromDns);
        }
    }

    /** Resolves the "resolve" names on their schedule; each change of the set reconciles the dialers. */
    private synchronized void startDiscovery(ZoneSyncSettings s, List<Member> previous) throws IOException {
        if (membership != null) {
            throw new IllegalStateException("DNS discovery is running already; stop it first");
        }
        lookup = NettyDnsLookup.fromConf(s.resolver(), cluster.transport(), cluster.resolvers());
        membership = new DnsMembership(s.dnsNames(), lookup, RefreshPolicy.of(s.resolver()),
                Scheduler.on(cluster.transport().group().next()), change -> {
                    List<InetSocketAddress> now = new ArrayList<>();
                    for (Member m : change.current()) {
                        now.add(m.address());
                    }
                    discovered(now);
                });
        membership.start(previous);
    }

    /** Stops discovery; returns the members it knew, for the next discovery to start from. */
    synchronized List<Member> stopDiscovery() {
        List<Member> last = List.of();
        if (membership != null) {
            last = membership.stop();
            membership = null;
        }
        if (lookup != null) {
            lookup.close();
            lookup = null;
        }
        return last;
    }

    /** A node to keep dialled: its key (the address as text), the name it was configured by, its address. */
    record PeerTarget(String key, String name, SocketAddress address) {
    }

    private static List<PeerTarget> staticTargets(ZoneSyncSettings s) {
        List<PeerTarget> out = new ArrayList<>();
        for (ZoneSyncSettings.StaticPeer p : s.staticPeers()) {
            out.add(new PeerTarget(p.key(), p.name(), p.address() != null ? p.address() : unixAddress(p)));
        }
        return out;
    }

    /**
     * Makes the dialled nodes these: new ones are dialled (and get a snapshot when their link comes
     * up), missing ones are closed with GOODBYE REMOVED and not dialled again, ones a peer's REMOVED
     * had stopped are tried again (our list changed), this node's own addresses are skipped.
     */
    synchronized void reconcile(Collection<PeerTarget> targets, String source) {
        Map<String, PeerTarget> wanted = new LinkedHashMap<>();
        for (PeerTarget t : targets) {
            wanted.put(t.key(), t);
        }
        for (PeerDialer d : new ArrayList<>(dialers.values())) {
            if (d.isStopped() && !d.isSelf() && wanted.containsKey(d.name())) {
                dialers.remove(d.name()); // stopped by the peer's REMOVED: our list changed, try again
                continue;
            }
            if (!wanted.containsKey(d.name())) {
                dialers.remove(d.name());
                d.stop();
                for (PeerLink l : linksTo(d)) {
                    l.goodbye(GoodbyeReason.REMOVED);
                }
                LOG.info(NOTICE, "zone_sync: node {} removed from {}", d.name(), source);
            }
        }
        for (PeerTarget t : wanted.values()) {
            if (dialers.containsKey(t.key())) {
                continue;
            }
            PeerDialer d = new PeerDialer(cluster, t.key(), t.address());
            dialers.put(t.key(), d);
            if (isOwnAddress(t.address())) {
                d.markSelf();
            } else {
                d.start();
            }
        }
    }

    /** The nodes a DNS name resolves to now (zone_sync_server ... resolve): dialled, or dropped when gone. */
    void discovered(Collection<InetSocketAddress> addresses) {
        if (cluster.isStopping()) {
            return;
        }
        List<PeerTarget> targets = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            String key = AddressText.hostPort(a);
            targets.add(new PeerTarget(key, key, a));
        }
        reconcile(targets, "DNS");
    }

    private static SocketAddress unixAddress(ZoneSyncSettings.StaticPeer p) {
        return new DomainSocketAddress(p.endpoint().unixPath().toFile());
    }

    /** An address one of our listeners is bound to (a wildcard listener: any local address with its port). */
    private boolean isOwnAddress(SocketAddress target) {
        for (SocketAddress local : cluster.boundAddresses()) {
            if (target instanceof DomainSocketAddress t) {
                if (local instanceof DomainSocketAddress u && t.path().equals(u.path())) {
                    return true;
                }
                continue;
            }
            if (!(target instanceof InetSocketAddress p) || !(local instanceof InetSocketAddress l)
                    || l.getPort() != p.getPort()) {
                continue;
            }
            InetAddress peer = p.getAddress();
            if (l.getAddress().isAnyLocalAddress()) {
                if (isLocal(peer)) {
                    return true;
                }
            } else if (l.getAddress().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocal(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    PeerDialer dialerOf(PeerLink link) {
        synchronized (this) {
            for (PeerDialer d : dialers.values()) {
                if (d.link() == link) {
                    return d;
                }
            }
        }
        return null;
    }

    /** The peer refuses this node (GOODBYE REMOVED, ABORT UNTRUSTED): stop dialling it until our configuration changes. */
    void refusedByPeer(PeerLink link, String why) {
        List<String> advertised = link.listenAddresses();
        synchronized (this) {
            for (PeerDialer d : dialers.values()) {
                if (d.link() == link || (link.peerNodeId() != 0 && d.peerNodeId() == link.peerNodeId())
                        || advertised.contains(d.name())) {
                    d.markRefusedByPeer(why);
                }
            }
        }
    }

    /** Links to the node a dialer stands for. */
    private List<PeerLink> linksTo(PeerDialer d) {
        List<PeerLink> out = new ArrayList<>();
        for (PeerLink l : cluster.allLinks()) {
            if (l.state().online() && standsFor(d, l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Whether the dialer stands for the node at the other end of the link: by its own link, its learned id, or the peer's advertised address. */
    private static boolean standsFor(PeerDialer d, PeerLink l) {
        return l == d.link() || (d.peerNodeId() != 0 && l.peerNodeId() == d.peerNodeId())
                || l.listenAddresses().contains(d.name());
    }

    /** A link came online, dialled by either side: the node it reaches is up. */
    void linkUp(PeerLink link) {
        for (PeerDialer d : dialersOf(link)) {
            d.peerUp();
        }
    }

    /** An online link closed: the node it reached may be down from now on. */
    void linkLost(PeerLink link) {
        for (PeerDialer d : dialersOf(link)) {
            d.linkLost();
        }
    }

    private synchronized List<PeerDialer> dialersOf(PeerLink link) {
        List<PeerDialer> out = new ArrayList<>();
        for (PeerDialer d : dialers.values()) {
            if (!d.isSelf() && standsFor(d, link)) {
                out.add(d);
            }
        }
        return out;
    }

    /** Stops every dialer and DNS discovery. */
    synchronized void stopAll() {
        stopDiscovery();
        for (PeerDialer d : dialers.values()) {
            d.stop();
        }
        dialers.clear();
    }

    /**
     * The TLS handshakes made dialling the peer that {@code link} was dialled to, or null when
     * zone_sync_ssl is off or the link's dialer is gone.
     */
    synchronized HandshakeCounters.Report handshakesDialling(PeerLink link) {
        if (!cluster.settings().security().dialsWithTls()) {
            return null;
        }
        for (PeerDialer d : dialers.values()) {
            if (d.link() == link) {
                return d.handshakes().report();
            }
        }
        return null;
    }

    /** Status rows for the nodes being dialled that have no online link. */
    synchronized void addDialling(List<ZoneSyncStatus.NodeStatus> nodes) {
        for (PeerDialer d : dialers.values()) {
            if (d.isSelf() || (d.peerNodeId() != 0 && cluster.hasOnlineLink(d.peerNodeId())) || d.link() != null
                    && d.link().state().online() || cluster.hasOnlineLinkAdvertising(d.name())) {
                continue;
            }
            PeerHistory.Peer past = cluster.history(d.peerNodeId());
            PeerLink link = d.link();
            String error = d.lastFailure() != null ? d.lastFailure() : past.lastError();
            nodes.add(new ZoneSyncStatus.NodeStatus(d.name(), "outbound",
                    link == null ? "connecting" : link.state().name().toLowerCase(), d.peerNodeId(), 0,
                    link == null ? d.stateSince() : link.stateSince(), error, 0, 0, 0, 0, 0, null,
                    past.reconnects(), past.lastSeen(), -1, cluster.awayLagMillis(d.peerNodeId()),
                    cluster.settings().security().dialsWithTls() ? d.handshakes().report() : null));
        }
    }
}
