package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancingTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    private UpstreamGroup group(String body) throws ConfigException {
        UpstreamSpec spec = UpstreamSpec.parse(ConfigParser.parseString("upstream u {\n" + body + "\n}", "t.conf")
                .first("upstream"));
        return UpstreamGroup.compile(spec, clock, VariableRegistry.withCoreVariables());
    }

    private static FakeRequest from(String ip) {
        FakeRequest r = new FakeRequest();
        r.remote = new InetSocketAddress(ip, 40000);
        return r;
    }

    private Peer pick(UpstreamGroup g, FakeRequest r) {
        Attempts a = g.newAttempts();
        Peer p = g.select(a, null, r);
        if (p != null) {
            g.release(p, Outcome.OK, a);
        }
        return p;
    }

    @Test
    void methodsRefuseBackupServersAfterThem() {
        for (String method : new String[] {"hash $arg_k;", "hash $arg_k consistent;", "ip_hash;", "random;",
                "random two least_conn;"}) {
            assertThatThrownBy(() -> group(method + "\nserver 127.0.0.1:1;\nserver 127.0.0.1:2 backup;"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("balancing method does not support parameter \"backup\" in t.conf:4");
        }
    }

    @Test
    void parametersAreCheckedAsNginxChecksThem() {
        assertThatThrownBy(() -> group("hash $arg_k sometimes;\nserver 127.0.0.1:1;"))
                .hasMessage("invalid parameter \"sometimes\" in t.conf:2");
        assertThatThrownBy(() -> group("random three;\nserver 127.0.0.1:1;"))
                .hasMessage("invalid parameter \"three\" in t.conf:2");
        assertThatThrownBy(() -> group("random two most_conn;\nserver 127.0.0.1:1;"))
                .hasMessage("invalid parameter \"most_conn\" in t.conf:2");
        assertThatThrownBy(() -> group("hash $nope;\nserver 127.0.0.1:1;"))
                .hasMessageContaining("unknown \"nope\" variable");
    }

    @Test
    void aSecondMethodWinsWithNginxsWarning() throws ConfigException {
        try (LogCapture log = new LogCapture()) {
            UpstreamGroup g = group("ip_hash;\nleast_conn;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
            assertThat(g.spec().balancing()).isEqualTo(new Balancing.LeastConn());
            assertThat(log.lines()).contains("warn load balancing method redefined in t.conf:3");
        }
    }

    @Test
    void leastConnTakesTheFewestConnectionsForTheWeightThenTheBackup() throws ConfigException {
        UpstreamGroup g = group("least_conn;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2 weight=2;\n"
                + "server 127.0.0.1:3 backup;");
        Peer[] held = new Peer[3];
        for (int i = 0; i < 3; i++) {
            held[i] = g.select(g.newAttempts(), null, null);
        }
        // 0/1 and 0/2 tie: round robin by weight gives :2; then 0/1 < 1/2: :1; then 1/1 = 2/2... :2
        assertThat(held).extracting(Peer::addressText).containsExactly("127.0.0.1:2", "127.0.0.1:1", "127.0.0.1:2");
        Attempts a = g.newAttempts();
        Peer first = g.select(a, null, null);
        g.release(first, Outcome.FAILED, a);
        Peer second = g.select(a, null, null);
        assertThat(second).isNotEqualTo(first);
        g.release(second, Outcome.FAILED, a);
        assertThat(g.select(a, null, null).addressText()).isEqualTo("127.0.0.1:3");
    }

    @Test
    void maxConnsCapsEveryMethod() throws ConfigException {
        for (String method : new String[] {"", "least_conn;", "hash $remote_addr;", "ip_hash;", "random;"}) {
            UpstreamGroup g = group(method + "\nserver 127.0.0.1:1 max_conns=1;\nserver 127.0.0.1:2 max_conns=1;");
            Attempts first = g.newAttempts();
            Peer a = g.select(first, null, from("10.0.0.1"));
            Peer b = g.select(g.newAttempts(), null, from("10.0.0.1"));
            assertThat(a).as(method).isNotNull();
            assertThat(b).as(method).isNotNull().isNotEqualTo(a);
            assertThat(g.select(g.newAttempts(), null, from("10.0.0.1"))).as(method).isNull();
            g.release(a, Outcome.OK, first);
            assertThat(g.select(g.newAttempts(), null, from("10.0.0.1"))).as(method).isEqualTo(a);
        }
    }

    @Test
    void ipHashKeepsANetworkOnOneServerAndHashesAllOfAnIpv6Address() throws ConfigException {
        UpstreamGroup g = group("ip_hash;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;\nserver 127.0.0.1:3;");
        Peer v4 = pick(g, from("192.0.2.1"));
        for (int i = 2; i < 50; i++) {
            assertThat(pick(g, from("192.0.2." + i))).isEqualTo(v4);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            seen.merge(pick(g, from("2001:db8::" + Integer.toHexString(i))).addressText(), 1, Integer::sum);
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void anEmptyHashKeyGoesRoundRobin() throws ConfigException {
        UpstreamGroup g = group("hash $arg_k;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
        FakeRequest noKey = new FakeRequest();
        assertThat(pick(g, noKey)).isNotEqualTo(pick(g, noKey));
    }

    @Test
    void hashingGivesUpOnDownServersAfterTwentyTriesAndRoundRobinFindsTheLiveOne() throws ConfigException {
        UpstreamGroup g = group("hash $arg_k;\nserver 127.0.0.1:1 down;\nserver 127.0.0.1:2 down;\n"
                + "server 127.0.0.1:3 down;\nserver 127.0.0.1:4 weight=1;\nserver 127.0.0.1:5 down weight=100;");
        FakeRequest r = new FakeRequest();
        r.args = "k=anything";
        assertThat(pick(g, r).addressText()).isEqualTo("127.0.0.1:4");
    }

    @Test
    void randomFollowsTheWeightsAndTwoPrefersTheLessLoaded() throws ConfigException {
        UpstreamGroup g = group("random;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2 weight=3;");
        int heavy = 0;
        for (int i = 0; i < 4000; i++) {
            if (pick(g, null).addressText().equals("127.0.0.1:2")) {
                heavy++;
            }
        }
        assertThat(heavy).isBetween(2700, 3300);
        UpstreamGroup two = group("random two;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
        Peer busy = two.select(two.newAttempts(), null, null);
        for (int i = 0; i < 20; i++) {
            Attempts a = two.newAttempts();
            Peer p = two.select(a, null, null);
            assertThat(p).isNotEqualTo(busy);
            two.release(p, Outcome.OK, a);
        }
    }

    @Test
    void leastTimeTakesTheFastestServerForItsConnections() throws ConfigException {
        UpstreamGroup g = group("least_time header;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
        Peer slow = g.peers().get(0);
        Peer fast = g.peers().get(1);
        g.timed(slow, 101, 150);
        g.timed(fast, 10, 500);
        // by header time: the fast one until its connections make it 10 ms x 11 > 101 ms x 1
        for (int i = 0; i < 10; i++) {
            assertThat(g.select(g.newAttempts(), null, null)).isEqualTo(fast);
        }
        assertThat(g.select(g.newAttempts(), null, null)).isEqualTo(slow);
        // by the last byte, the other way round
        UpstreamGroup last = group("least_time last_byte;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
        last.timed(last.peers().get(0), 100, 150);
        last.timed(last.peers().get(1), 10, 500);
        assertThat(last.select(last.newAttempts(), null, null)).isEqualTo(last.peers().get(0));
    }

    @Test
    void leastTimeInflightCountsTheRequestsStillGoing() throws ConfigException {
        UpstreamGroup g = group("least_time last_byte inflight;\nserver 127.0.0.1:1;\nserver 127.0.0.1:2;");
        Peer one = g.peers().get(0);
        Peer two = g.peers().get(1);
        g.timed(one, 5, 10);
        g.timed(two, 5, 20);
        Attempts first = g.newAttempts();
        assertThat(g.select(first, null, null)).isEqualTo(one);
        // a request just sent counts as a fast one: (10 + 0) / 2 x 2 connections = 10 < 20
        Attempts second = g.newAttempts();
        assertThat(g.select(second, null, null)).isEqualTo(one);
        clock.advance(1000); // both requests on :1 have now taken a second
        assertThat(g.select(g.newAttempts(), null, null)).isEqualTo(two);
        g.release(one, Outcome.OK, first);
        g.release(one, Outcome.OK, second);
        assertThat(BalancerState.leastTimeScore(one, new Balancing.LeastTime(true, true), clock.millis()))
                .isEqualTo(10.0);
    }

    @Test
    void slowStartBringsARecoveredServerBackToItsWeightOverTime() throws ConfigException {
        UpstreamGroup g = group("server 127.0.0.1:1 weight=10 max_fails=1 fail_timeout=10s slow_start=10s;\n"
                + "server 127.0.0.1:2 weight=10;");
        Peer one = g.peers().get(0);
        Attempts a = g.newAttempts();
        Peer first = g.select(a, null, null);
        assertThat(first).isEqualTo(one);
        g.release(one, Outcome.FAILED, a);
        clock.advance(10_001); // fail_timeout over: tried again, and it answers
        Attempts b = g.newAttempts();
        Peer probe = g.select(b, null, null);
        while (probe != one) {
            g.release(probe, Outcome.OK, b);
            b = g.newAttempts();
            probe = g.select(b, null, null);
        }
        g.release(one, Outcome.OK, b);
        assertThat(one.weight(clock.millis())).isEqualTo(1);
        assertThat(share(g, one, 1000)).isBetween(60, 120); // weight 1 of 11
        clock.advance(5_000);
        assertThat(one.weight(clock.millis())).isEqualTo(5);
        assertThat(share(g, one, 1000)).isBetween(290, 380); // 5 of 15
        clock.advance(5_000);
        assertThat(one.weight(clock.millis())).isEqualTo(10);
        assertThat(share(g, one, 1000)).isBetween(470, 530);
    }

    @Test
    void slowStartAlsoFollowsAServerThatHealthChecksLetBackIn() throws ConfigException {
        UpstreamGroup g = group("server 127.0.0.1:1 weight=10 slow_start=10s;\nserver 127.0.0.1:2 weight=10;");
        Peer one = g.peers().get(0);
        assertThat(g.checked(one, false, 1, 1).unhealthy()).isTrue();
        clock.advance(30_000);
        assertThat(share(g, one, 100)).isZero();
        assertThat(g.checked(one, true, 1, 1).unhealthy()).isFalse();
        assertThat(one.weight(clock.millis())).isEqualTo(1);
        assertThat(share(g, one, 1000)).isBetween(60, 120); // weight 1 of 11
        clock.advance(5_000);
        assertThat(one.weight(clock.millis())).isEqualTo(5);
        clock.advance(5_000);
        assertThat(one.weight(clock.millis())).isEqualTo(10);
        // a check that passes while the server is in rotation starts nothing
        assertThat(g.checked(one, true, 1, 1).unhealthy()).isFalse();
        assertThat(one.weight(clock.millis())).isEqualTo(10);
    }

    /** How many of {@code n} requests go to {@code peer}. */
    private int share(UpstreamGroup g, Peer peer, int n) {
        int hits = 0;
        for (int i = 0; i < n; i++) {
            Attempts a = g.newAttempts();
            Peer p = g.select(a, null, null);
            if (p == peer) {
                hits++;
            }
            g.release(p, Outcome.OK, a);
        }
        return hits;
    }

    @Test
    void leastTimeParametersAreChecked() {
        assertThatThrownBy(() -> group("least_time body;\nserver 127.0.0.1:1;"))
                .hasMessageContaining("invalid parameter \"body\"");
        assertThatThrownBy(() -> group("least_time header always;\nserver 127.0.0.1:1;"))
                .hasMessageContaining("invalid parameter \"always\"");
    }
}
