package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Dnsmasq;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment the seeds describe: one name that resolves to every node
 * ({@code zone_sync_server cluster.test:PORT resolve}), nodes on distinct loopback addresses
 * sharing one sync port, membership following DNS.
 */
class DnsClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "/api/9/http/keyvals/one";
    @TempDir
    Path dir;
    private final List<InJvmNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(InJvmNode::close);
    }

    private static String config(String address, int syncPort, InetSocketAddress dns, String valid) {
        return """
                events { }
                stream {
                    resolver %s:%d %s ipv6=off;
                    resolver_timeout 2s;
                    server {
                        listen %s:%d;
                        zone_sync;
                        zone_sync_connect_retry_interval 200ms;
                        zone_sync_server cluster.test:%d resolve;
                    }
                }
                http {
                    access_log off;
                    keyval_zone zone=one:1m sync;
                    server { listen %s:0; location /api { api write=on; } }
                }
                """.formatted(dns.getAddress().getHostAddress(), dns.getPort(), valid, address, syncPort, syncPort,
                address);
    }

    private InJvmNode node(int i, int syncPort, InetSocketAddress dns, String valid) throws Exception {
        InJvmNode n = InJvmNode.start(dir.resolve("n" + i), config("127.0.0." + i, syncPort, dns, valid));
        nodes.add(n);
        return n;
    }

    private static Http http(InJvmNode n) {
        InetSocketAddress a = (InetSocketAddress) n.node.httpAddresses().values().iterator().next();
        return new Http(a.getAddress().getHostAddress(), a.getPort());
    }

    private static int online(InJvmNode n) throws Exception {
        return JSON.readTree(http(n).get("/api/9/stream/zone_sync").body()).path("status").path("nodes_online").asInt();
    }

    @Test
    void aNameForThreeNodesFormsAClusterAJoinerGetsEverythingALeaverIsDroppedAndSilenceChangesNothing()
            throws Exception {
        try (HeldPort held = new HeldPort(); TestDnsServer dns = TestDnsServer.start()) {
            int port = held.port();
            dns.records("cluster.test", 60, "127.0.0.2", "127.0.0.3", "127.0.0.4");
            for (int i = 2; i <= 4; i++) {
                node(i, port, dns.address(), "valid=1s");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> online(nodes.get(0)) == 2 && online(nodes.get(1)) == 2
                    && online(nodes.get(2)) == 2);
            for (int k = 0; k < 20; k++) {
                http(nodes.get(k % 3)).post(ZONE, "{\"k" + k + "\":\"" + k + "\"}");
            }

            InJvmNode joiner = node(5, port, dns.address(), "valid=1s");
            dns.records("cluster.test", 60, "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
            int asked = dns.questions().size();
            // Every node looks the name up again within valid=1s and so learns of the joiner.
            await().atMost(Duration.ofSeconds(5)).until(() -> dns.questions().size() >= asked + 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(http(joiner).get(ZONE).body()).size() == 20);
            await().atMost(Duration.ofSeconds(20)).until(() -> online(nodes.get(0)) == 3 && online(joiner) == 3);

            dns.records("cluster.test", 60, "127.0.0.2", "127.0.0.3", "127.0.0.4");
            // Dropped everywhere within valid= (1 s) plus a margin for the next lookup and the goodbye.
            await().atMost(Duration.ofSeconds(5)).until(() -> online(nodes.get(0)) == 2 && online(nodes.get(1)) == 2
                    && online(nodes.get(2)) == 2 && online(joiner) == 0);

            dns.mode(TestDnsServer.Mode.SILENT);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> online(nodes.get(0)) == 2 && online(nodes.get(2)) == 2);
            http(nodes.get(1)).post(ZONE, "{\"while-dns-is-silent\":\"1\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> http(nodes.get(2)).get(ZONE).body()
                    .contains("while-dns-is-silent"));
        }
    }

    @Test
    void aReloadThatMovesTheSyncPortFollowsTheNameOnTheNewPortOnly() throws Exception {
        try (HeldPort first = new HeldPort(); HeldPort second = new HeldPort(); TestDnsServer dns = TestDnsServer.start();
                LogCapture logs = new LogCapture()) {
            int before = first.port();
            int after = second.port();
            dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.3");
            InJvmNode a = node(2, before, dns.address(), "valid=1s");
            InJvmNode b = node(3, before, dns.address(), "valid=1s");
            await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 1 && online(b) == 1);
            a.reload(config("127.0.0.2", after, dns.address(), "valid=1s"));
            b.reload(config("127.0.0.3", after, dns.address(), "valid=1s"));
            await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 1 && online(b) == 1);
            long stale = logs.count(":" + before + " discovered");
            // A discovery left over from the old settings would bring the old port back on its next
            // lookup (every second) and drop it again, taking the live link down with it.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> online(a) == 1 && online(b) == 1 && logs.count(":" + before + " discovered") == stale);
            http(a).post(ZONE, "{\"after-move\":\"1\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> http(b).get(ZONE).body().contains("after-move"));
        }
    }

    @Test
    void withoutValidTheRecordsTtlDecidesWhenTheNameIsAskedAgain() throws Exception {
        try (HeldPort held = new HeldPort(); TestDnsServer dns = TestDnsServer.start()) {
            int port = held.port();
            dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.3");
            InJvmNode a = node(2, port, dns.address(), "");
            InJvmNode b = node(3, port, dns.address(), "");
            await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 1 && online(b) == 1);
            int before = dns.questions().size();
            // A TTL of 1 s: both nodes ask again every second.
            await().atMost(Duration.ofSeconds(5)).until(() -> dns.questions().size() >= before + 4);
            dns.records("cluster.test", 3600, "127.0.0.2", "127.0.0.3");
            int changed = dns.questions().size();
            // Each node's next lookup sees the long TTL; after that nobody asks for a while.
            await().atMost(Duration.ofSeconds(5)).until(() -> dns.questions().size() >= changed + 2);
            int settled = dns.questions().size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> dns.questions().size() <= settled + 1);
        }
    }

    @Test
    void aRealDnsServerFromDebianDrivesJoinAndLeave() throws Exception {
        Dnsmasq.assumeInstalled();
        Files.createDirectories(dir.resolve("dnsmasq"));
        try (HeldPort held = new HeldPort(); Dnsmasq dnsmasq = Dnsmasq.start(dir.resolve("dnsmasq"), "test")) {
            int port = held.port();
            dnsmasq.hosts("cluster.test", "127.0.0.2", "127.0.0.3");
            InJvmNode a = node(2, port, dnsmasq.address(), "valid=1s");
            InJvmNode b = node(3, port, dnsmasq.address(), "valid=1s");
            await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 1 && online(b) == 1);
            http(a).post(ZONE, "{\"before-join\":\"1\"}");

            try (LogCapture logs = new LogCapture()) {
                InJvmNode c = node(4, port, dnsmasq.address(), "valid=1s");
                dnsmasq.hosts("cluster.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
                await().atMost(Duration.ofSeconds(20)).until(() -> online(a) == 2 && online(c) == 2
                        && http(c).get(ZONE).body().contains("before-join"));
                // Every node, not only the joiner, has seen the new address in DNS (the notice it logs).
                await().atMost(Duration.ofSeconds(10)).until(() -> logs.count("resolves to 3 node(s)") >= 3);
                leave(dnsmasq, a, b, c);
            }
        }
    }

    /** The address leaves DNS: within valid= plus a margin every node drops it, and it drops them. */
    private void leave(Dnsmasq dnsmasq, InJvmNode a, InJvmNode b, InJvmNode c) throws Exception {
        dnsmasq.hosts("cluster.test", "127.0.0.2", "127.0.0.3");
        await().atMost(Duration.ofSeconds(10)).until(() -> online(a) == 1 && online(b) == 1 && online(c) == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> online(c) == 0);
    }
}
