package io.zonesync.sync.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.net.Endpoint;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.NettyDnsLookup;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.testing.Dnsmasq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Join and leave through a real DNS server: dnsmasq on a loopback port answers {@code
 * cluster.zonesync.test} from a hosts file the test edits and reloads with SIGHUP, as an operator
 * (or an orchestrator) would change the cluster's DNS name.
 */
class DnsMembershipDnsmasqIT {
    private static final String NAME = "cluster.zonesync.test";

    @TempDir
    Path dir;
    private Dnsmasq dnsmasq;
    private Transport transport;
    private NettyDnsLookup lookup;
    private DnsMembership membership;
    private final List<MembershipChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Dnsmasq.assumeInstalled();
        dnsmasq = Dnsmasq.start(dir, "zonesync.test");
        transport = Transport.create(1, "dnsmasq-it");
        // resolver 127.0.0.1:PORT ipv6=on; resolver_timeout 2s; dnsmasq's records have a TTL of 1 s
        ResolverConf conf = new ResolverConf(List.of(Endpoint.inet("127.0.0.1", dnsmasq.address().getPort())),
                null, true, true, 2_000, null);
        lookup = NettyDnsLookup.fromConf(conf, transport, new ResolverZones());
        membership = new DnsMembership(List.of(Endpoint.inet(NAME, 12345)), lookup, RefreshPolicy.of(conf),
                Scheduler.on(transport.group().next()), changes::add);
    }

    @AfterEach
    void stop() {
        if (membership != null) {
            membership.stop();
            lookup.close();
            transport.shutdown();
        }
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private List<String> members() {
        return membership.members().stream().map(Member::key).toList();
    }

    @Test
    void nodesJoinAndLeaveAsTheHostsFileChanges() throws Exception {
        dnsmasq.hosts(NAME, "127.0.0.2", "127.0.0.3");
        membership.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> members().size() == 2);
        assertThat(members()).containsExactlyInAnyOrder("127.0.0.2:12345", "127.0.0.3:12345");

        dnsmasq.hosts(NAME, "127.0.0.2", "127.0.0.3", "127.0.0.4"); // join
        await().atMost(Duration.ofSeconds(10)).until(() -> members().contains("127.0.0.4:12345"));
        assertThat(changes.get(changes.size() - 1).added()).extracting(Member::key).containsExactly("127.0.0.4:12345");

        dnsmasq.hosts(NAME, "127.0.0.2", "127.0.0.4"); // leave
        await().atMost(Duration.ofSeconds(10)).until(() -> !members().contains("127.0.0.3:12345"));
        assertThat(changes.get(changes.size() - 1).removed()).extracting(Member::key)
                .containsExactly("127.0.0.3:12345");
        assertThat(members()).containsExactlyInAnyOrder("127.0.0.2:12345", "127.0.0.4:12345");

        dnsmasq.hosts(NAME); // the name is gone: NXDOMAIN from the local domain, everyone leaves
        await().atMost(Duration.ofSeconds(10)).until(() -> members().isEmpty());
        assertThat(dnsmasq.log()).contains("query[AAAA] " + NAME); // ipv6=on asks AAAA too
    }
}
