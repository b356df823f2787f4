package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigParser;
import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.DnsAnswer;
import io.zonesync.net.dns.DnsLookup;
import io.zonesync.net.dns.FamilyAnswer;
import io.zonesync.net.dns.ManualScheduler;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.SrvAnswer;
import io.zonesync.net.dns.TtlAddress;
import io.zonesync.testing.MutableClock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What DNS answers do to a group's {@code resolve} servers: TTL-driven lookups, a failed family
 * keeping its addresses, NXDOMAIN emptying them, peers that stay keeping their counters.
 */
class UpstreamResolverTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedLookup dns = new ScriptedLookup();

    /** Answers the A family as the test last said; AAAA is always an empty answer. */
    private static final class ScriptedLookup implements DnsLookup {
        volatile FamilyAnswer a = FamilyAnswer.failed(AddressFamily.IPV4, "nothing scripted");
        final List<String> asked = new ArrayList<>();
        boolean closed;

        @Override
        public CompletionStage<DnsAnswer> lookup(String name) {
            asked.add(name);
            return CompletableFuture.completedFuture(new DnsAnswer(name, List.of(a,
                    FamilyAnswer.answer(AddressFamily.IPV6, List.of()))));
        }

        @Override
        public CompletionStage<SrvAnswer> lookupSrv(String name) {
            return CompletableFuture.completedFuture(new SrvAnswer(FamilyAnswer.Outcome.FAILED, List.of(), "none"));
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static FamilyAnswer records(long ttl, String... ips) throws Exception {
        List<TtlAddress> out = new ArrayList<>();
        for (String ip : ips) {
            out.add(new TtlAddress(InetAddress.getByName(ip), ttl));
        }
        return FamilyAnswer.answer(AddressFamily.IPV4, out);
    }

    private UpstreamGroup group() throws Exception {
        UpstreamSpec spec = UpstreamSpec.parse(ConfigParser.parseString(
                "upstream u { zone u 64k; server backends.test:8080 resolve max_fails=3; }", "t.conf").first("upstream"),
                ConfigParser.parseString("resolver 127.0.0.1;", "t.conf"), null);
        return new UpstreamGroup(spec, clock);
    }

    private static List<String> servers(UpstreamGroup g) {
        return g.peers().stream().map(Peer::addressText).toList();
    }

    @Test
    void answersReplaceTheLinesServersOnTheTtlsSchedule() throws Exception {
        UpstreamGroup g = group();
        dns.a = records(30, "10.0.0.1", "10.0.0.2");
        UpstreamResolver r = new UpstreamResolver(g, dns, RefreshPolicy.valid(null), scheduler);
        r.start();
        scheduler.runDue();
        assertThat(servers(g)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
        assertThat(g.peers().get(0).spec().maxFails()).isEqualTo(3);
        Peer kept = g.peers().get(1);
        Attempts a = g.newAttempts();
        Peer p = g.select(a, null, null);
        g.release(p, Outcome.OK, a);

        dns.a = records(30, "10.0.0.2", "10.0.0.3");
        scheduler.advance(29_999);
        assertThat(dns.asked).hasSize(1);
        scheduler.advance(1);
        assertThat(dns.asked).hasSize(2);
        assertThat(servers(g)).containsExactly("10.0.0.2:8080", "10.0.0.3:8080");
        assertThat(g.peers().get(0)).isSameAs(kept);
        // ids: the resolve line 0 (their parent), its first servers 1 and 2, the new one 3
        assertThat(g.peers().get(1).id()).isEqualTo(3);

        // every server fails: the addresses stay, asked again within 5 s
        dns.a = FamilyAnswer.failed(AddressFamily.IPV4, "SERVFAIL");
        scheduler.advance(30_000);
        assertThat(servers(g)).containsExactly("10.0.0.2:8080", "10.0.0.3:8080");
        scheduler.advance(5_000);
        assertThat(dns.asked).hasSize(4);

        // NXDOMAIN: no servers, and asked again after 5 s
        dns.a = FamilyAnswer.noSuchName(AddressFamily.IPV4);
        scheduler.advance(5_000);
        assertThat(servers(g)).isEmpty();
        assertThat(g.select(g.newAttempts(), null, null)).isNull();

        r.stop();
        scheduler.runDue();
        assertThat(dns.closed).isTrue();
        int asked = dns.asked.size();
        scheduler.advance(60_000);
        assertThat(dns.asked).hasSize(asked);
    }
}
