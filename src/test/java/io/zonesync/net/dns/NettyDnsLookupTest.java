package io.zonesync.net.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.net.Transport;
import io.zonesync.testing.TestDnsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real DNS client against {@link TestDnsServer}s on loopback ports. */
class NettyDnsLookupTest {
    private static final List<AddressFamily> BOTH = List.of(AddressFamily.IPV4, AddressFamily.IPV6);
    private static final List<AddressFamily> V4 = List.of(AddressFamily.IPV4);

    private static Transport transport;
    private TestDnsServer dns;
    private TestDnsServer second;

    @BeforeAll
    static void transport() {
        transport = Transport.create(1, "dns-test");
    }

    @AfterAll
    static void shutdown() {
        transport.shutdown();
    }

    @BeforeEach
    void server() {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void close() {
        dns.close();
        if (second != null) {
            second.close();
        }
    }

    private NettyDnsLookup lookup(List<AddressFamily> families, long timeoutMs, InetSocketAddress... servers) {
        return new NettyDnsLookup(List.of(servers), families, timeoutMs, transport);
    }

    private static DnsAnswer ask(DnsLookup lookup, String name) throws Exception {
        return lookup.lookup(name).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static FamilyAnswer family(DnsAnswer answer, AddressFamily f) {
        return answer.families().stream().filter(a -> a.family() == f).findFirst().orElseThrow();
    }

    private static List<String> hosts(FamilyAnswer a) {
        return a.records().stream().map(t -> t.address().getHostAddress()).toList();
    }

    @Test
    void readsARecordsWithTheirTtl() throws Exception {
        dns.records("cluster.test", 42, "127.0.0.2", "127.0.0.3", "127.0.0.4");
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            DnsAnswer answer = ask(lookup, "cluster.test");
            FamilyAnswer v4 = family(answer, AddressFamily.IPV4);
            assertThat(v4.outcome()).isEqualTo(FamilyAnswer.Outcome.ANSWER);
            assertThat(hosts(v4)).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
            assertThat(v4.records()).allSatisfy(r -> assertThat(r.ttlSeconds()).isEqualTo(42));
        }
    }

    @Test
    void readsAaaaRecordsNextToARecords() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2", "::1");
        try (NettyDnsLookup lookup = lookup(BOTH, 2000, dns.address())) {
            DnsAnswer answer = ask(lookup, "cluster.test");
            assertThat(hosts(family(answer, AddressFamily.IPV4))).containsExactly("127.0.0.2");
            assertThat(family(answer, AddressFamily.IPV6).records())
                    .extracting(TtlAddress::address).containsExactly(InetAddress.getByName("::1"));
        }
        assertThat(dns.questions()).extracting(TestDnsServer.Question::type).containsExactlyInAnyOrder("A", "AAAA");
    }

    @Test
    void ipv6OffAsksNoAaaa() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2", "::1");
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            DnsAnswer answer = ask(lookup, "cluster.test");
            assertThat(answer.families()).extracting(FamilyAnswer::family).containsExactly(AddressFamily.IPV4);
        }
        assertThat(dns.questions()).extracting(TestDnsServer.Question::type).containsExactly("A");
    }

    @Test
    void nxdomainAndNodataAreDefiniteAnswers() throws Exception {
        dns.records("empty.test", 30);
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            assertThat(family(ask(lookup, "missing.test"), AddressFamily.IPV4).outcome())
                    .isEqualTo(FamilyAnswer.Outcome.NO_SUCH_NAME);
            FamilyAnswer nodata = family(ask(lookup, "empty.test"), AddressFamily.IPV4);
            assertThat(nodata.outcome()).isEqualTo(FamilyAnswer.Outcome.ANSWER);
            assertThat(nodata.records()).isEmpty();
        }
    }

    @Test
    void followsACnameChainAndTakesTheSmallestTtl() throws Exception {
        dns.records("nodes.test", 300, "127.0.0.2").alias("cluster.test", "nodes.test", 7);
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            FamilyAnswer v4 = family(ask(lookup, "cluster.test"), AddressFamily.IPV4);
            assertThat(hosts(v4)).containsExactly("127.0.0.2");
            assertThat(v4.records().get(0).ttlSeconds()).isEqualTo(7);
        }
    }

    @Test
    void aSilentServerIsATimeoutThatNamesTheServerAndTheLimit() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2").mode(TestDnsServer.Mode.SILENT);
        try (NettyDnsLookup lookup = lookup(V4, 300, dns.address())) {
            FamilyAnswer v4 = family(ask(lookup, "cluster.test"), AddressFamily.IPV4);
            assertThat(v4.outcome()).isEqualTo(FamilyAnswer.Outcome.FAILED);
            assertThat(v4.detail()).contains("127.0.0.1:" + dns.address().getPort())
                    .contains("did not answer within 300 ms (resolver_timeout)");
        }
    }

    @Test
    void servfailIsAFailureNotAnEmptyAnswer() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2").mode(TestDnsServer.Mode.SERVFAIL);
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            FamilyAnswer v4 = family(ask(lookup, "cluster.test"), AddressFamily.IPV4);
            assertThat(v4.outcome()).isEqualTo(FamilyAnswer.Outcome.FAILED);
            assertThat(v4.detail()).endsWith("answered SERVFAIL");
        }
    }

    @Test
    void serversAreAskedInTurn() throws Exception {
        second = TestDnsServer.start();
        dns.records("cluster.test", 30, "127.0.0.2");
        second.records("cluster.test", 30, "127.0.0.2");
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address(), second.address())) {
            for (int i = 0; i < 4; i++) {
                assertThat(hosts(family(ask(lookup, "cluster.test"), AddressFamily.IPV4))).containsExactly("127.0.0.2");
            }
        }
        assertThat(dns.questions()).hasSize(2);
        assertThat(second.questions()).hasSize(2);
    }

    @Test
    void aDeadServerIsSkippedForTheNextOne() throws Exception {
        second = TestDnsServer.start();
        dns.mode(TestDnsServer.Mode.SILENT);
        second.records("cluster.test", 30, "127.0.0.2");
        try (NettyDnsLookup lookup = lookup(V4, 200, dns.address(), second.address())) {
            for (int i = 0; i < 4; i++) {
                assertThat(hosts(family(ask(lookup, "cluster.test"), AddressFamily.IPV4))).containsExactly("127.0.0.2");
            }
        }
        assertThat(second.questions()).hasSize(4);
        assertThat(dns.questions()).hasSize(2); // asked first every other time, in turn
    }

    @Test
    void aServerThatRefusesIsSkippedAndBothFailuresAreReported() throws Exception {
        second = TestDnsServer.start();
        dns.mode(TestDnsServer.Mode.REFUSED);
        second.mode(TestDnsServer.Mode.SERVFAIL);
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address(), second.address())) {
            FamilyAnswer v4 = family(ask(lookup, "cluster.test"), AddressFamily.IPV4);
            assertThat(v4.outcome()).isEqualTo(FamilyAnswer.Outcome.FAILED);
            assertThat(v4.detail()).contains(":" + dns.address().getPort() + " answered REFUSED")
                    .contains(":" + second.address().getPort() + " answered SERVFAIL");
        }
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2", "127.0.0.3").truncateUdp(true);
        try (NettyDnsLookup lookup = lookup(V4, 2000, dns.address())) {
            assertThat(hosts(family(ask(lookup, "cluster.test"), AddressFamily.IPV4)))
                    .containsExactly("127.0.0.2", "127.0.0.3");
        }
        assertThat(dns.questions()).extracting(TestDnsServer.Question::tcp).containsExactly(false, true);
    }

    @Test
    void eachQuerySentIsCountedWithHowItEnded() throws Exception {
        dns.records("cluster.test", 30, "127.0.0.2").records("empty.test", 30).drop("lost.test");
        dns.srv("_sync._tcp.cluster.test", 30, new TestDnsServer.Srv(1, 1, 12345, "cluster.test"));
        ResolverStats stats = new ResolverStats();
        try (NettyDnsLookup lookup = new NettyDnsLookup(List.of(dns.address()), BOTH, 2000, transport, stats)) {
            ask(lookup, "cluster.test"); // A and AAAA: two queries, both NOERROR (AAAA without records)
            ask(lookup, "empty.test"); // NODATA is NOERROR too
            ask(lookup, "missing.test"); // NXDOMAIN for both
            ask(lookup, "lost.test"); // two queries without an answer
            lookup.lookupSrv("_sync._tcp.cluster.test").toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(stats.figures()).isEqualTo(new ResolverStats.Figures(8, 1, 0, 5, 0, 0, 2, 0, 0, 2, 0));
    }

    @Test
    void failingAnswersAreCountedByRcodeAndEachServerAskedIsAQuery() throws Exception {
        second = TestDnsServer.start();
        ResolverStats stats = new ResolverStats();
        try (NettyDnsLookup lookup = new NettyDnsLookup(List.of(dns.address(), second.address()), V4, 2000,
                transport, stats)) {
            for (TestDnsServer.Mode m : new TestDnsServer.Mode[] {TestDnsServer.Mode.SERVFAIL,
                TestDnsServer.Mode.REFUSED, TestDnsServer.Mode.FORMERR, TestDnsServer.Mode.NOTIMP}) {
                dns.mode(m);
                second.mode(m);
                // whichever server is first, both are asked: two queries, two answers with m's RCODE
                assertThat(family(ask(lookup, "cluster.test"), AddressFamily.IPV4).outcome())
                        .isEqualTo(FamilyAnswer.Outcome.FAILED);
            }
        }
        assertThat(stats.figures()).isEqualTo(new ResolverStats.Figures(8, 0, 0, 0, 2, 2, 0, 2, 2, 0, 0));
    }
}
