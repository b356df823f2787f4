package io.zonesync.sync.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.net.Endpoint;
import io.zonesync.net.Transport;
import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.NettyDnsLookup;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.testing.TestDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DnsMembership on real timers and the real client, against {@link TestDnsServer}. */
class DnsMembershipOverDnsTest {
    private static final Endpoint CLUSTER = Endpoint.inet("cluster.test", 12345);

    private Transport transport;
    private TestDnsServer dns;
    private NettyDnsLookup lookup;
    private DnsMembership membership;
    private final List<MembershipChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        transport = Transport.create(1, "dns-membership-test");
        dns = TestDnsServer.start();
        lookup = new NettyDnsLookup(List.of(dns.address()), List.of(AddressFamily.IPV4), 300, transport);
    }

    @AfterEach
    void stop() {
        if (membership != null) {
            membership.stop();
        }
        lookup.close();
        dns.close();
        transport.shutdown();
    }

    private void startMembership(Long validMs) {
        membership = new DnsMembership(List.of(CLUSTER), lookup, RefreshPolicy.valid(validMs),
                Scheduler.on(transport.group().next()), changes::add);
        membership.start();
    }

    private List<String> members() {
        return membership.members().stream().map(Member::key).toList();
    }

    @Test
    void joinAndLeaveWithinTheTtl() {
        dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.3", "127.0.0.4");
        startMembership(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> members().size() == 3);

        dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
        await().atMost(Duration.ofSeconds(5)).until(() -> members().contains("127.0.0.5:12345"));
        dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.4", "127.0.0.5");
        await().atMost(Duration.ofSeconds(5)).until(() -> !members().contains("127.0.0.3:12345"));

        assertThat(changes).hasSize(3);
        assertThat(changes.get(2).removed()).extracting(Member::key).containsExactly("127.0.0.3:12345");
    }

    @Test
    void validShortensAnHourLongTtl() {
        dns.records("cluster.test", 3600, "127.0.0.2");
        startMembership(1_000L);
        await().atMost(Duration.ofSeconds(5)).until(() -> members().size() == 1);
        dns.records("cluster.test", 3600, "127.0.0.3");
        await().atMost(Duration.ofSeconds(5)).until(() -> members().equals(List.of("127.0.0.3:12345")));
    }

    @Test
    void aServerThatGoesSilentChangesNothing() {
        dns.records("cluster.test", 1, "127.0.0.2", "127.0.0.3");
        startMembership(1_000L); // after a failure the retry comes after min(valid, 5 s)
        await().atMost(Duration.ofSeconds(5)).until(() -> members().size() == 2);
        dns.mode(TestDnsServer.Mode.SILENT).records("cluster.test", 1, "127.0.0.9");
        int asked = dns.questions().size();

        // Three lookups (each timing out after 300 ms, 1 s apart) have come and gone.
        await().atMost(Duration.ofSeconds(10)).until(() -> dns.questions().size() >= asked + 3);
        assertThat(members()).containsExactly("127.0.0.2:12345", "127.0.0.3:12345");
        assertThat(changes).hasSize(1);

        dns.mode(TestDnsServer.Mode.ANSWER);
        await().atMost(Duration.ofSeconds(5)).until(() -> members().equals(List.of("127.0.0.9:12345")));
    }
}
