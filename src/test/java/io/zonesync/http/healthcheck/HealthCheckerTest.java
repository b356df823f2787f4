package io.zonesync.http.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.http.upstream.Attempts;
import io.zonesync.http.upstream.Outcome;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.net.dns.ManualScheduler;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.testing.MutableClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The checker over a real group, with a scheduler whose time the test moves and a scripted probe. */
class HealthCheckerTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    /** Each server's answer by port: a status, or -1 for a failed connection, or 0 for no answer at all. */
    private final Map<Integer, Integer> answers = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    private boolean closed;

    /** Checks ("port uri") answered 500 whatever the port's answer. */
    private final Set<String> failing = new HashSet<>();

    private final HealthProbe probe = (address, request) -> {
        probed.add(address.getPort() + " " + request.host() + " " + request.uri());
        int answer = failing.contains(address.getPort() + " " + request.uri()) ? 500
                : answers.getOrDefault(address.getPort(), 200);
        if (answer == 0) {
            return new CompletableFuture<>();
        }
        return answer < 0 ? CompletableFuture.failedFuture(new java.io.IOException("refused"))
                : CompletableFuture.completedFuture(new ProbeResponse(answer, Map.of(), ""));
    };

    private HttpCheck httpCheck;

    private final HealthChecker.Runtime runtime = new HealthChecker.Runtime() {
        @Override
        public Scheduler scheduler() {
            return scheduler;
        }

        @Override
        public CompletableFuture<String> check(InetSocketAddress address) {
            return httpCheck.run(probe, address);
        }

        @Override
        public void close() {
            closed = true;
        }
    };

    private UpstreamGroup group(String body, String check) throws ConfigException {
        UpstreamSpec spec = UpstreamSpec.parse(ConfigParser.parseString("upstream u {\n" + body + "\n}", "t.conf")
                .first("upstream"));
        UpstreamGroup g = UpstreamGroup.compile(spec, clock, VariableRegistry.withCoreVariables());
        HealthCheckSpec hc = HealthCheckSpec.parse(ConfigParser.parseString("health_check " + check + ";", "t.conf")
                .first("health_check"));
        httpCheck = new HttpCheck(MatchSpec.DEFAULT, new HealthProbe.ProbeRequest("u", hc.uri(), 1000, 1000));
        HealthChecker checker = new HealthChecker(hc, () -> runtime);
        g.setMonitor(checker);
        g.restartHealth(hc.mandatory(), hc.persistent());
        checker.start(g);
        return g;
    }

    /** The ports that 20 requests go to. */
    private Set<Integer> served(UpstreamGroup g) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Attempts a = g.newAttempts();
            Peer p = g.select(a, null, new FakeRequest());
            if (p != null) {
                ports.add(p.spec().address().getPort());
                g.release(p, Outcome.OK, a);
            }
        }
        return ports;
    }

    private static String state(UpstreamGroup g, int port) {
        return g.status().peers().stream().filter(p -> p.server().endsWith(":" + port)).findFirst().orElseThrow()
                .state();
    }

    @Test
    void aServerFailingItsChecksLeavesTheRotationAndComesBackAfterPasses() throws ConfigException {
        UpstreamGroup g = group("zone z 64k; server 127.0.0.1:8001; server 127.0.0.1:8002;",
                "interval=1s fails=2 passes=3 uri=/health");
        scheduler.runDue();
        assertThat(probed).containsExactlyInAnyOrder("8001 u /health", "8002 u /health");
        answers.put(8002, 503);
        scheduler.advance(1000);
        assertThat(served(g)).as("one failed check of two").containsExactlyInAnyOrder(8001, 8002);
        scheduler.advance(1000);
        assertThat(served(g)).containsExactly(8001);
        assertThat(state(g, 8002)).isEqualTo("unhealthy");
        answers.put(8002, 200);
        scheduler.advance(2000);
        assertThat(served(g)).as("two passes of three").containsExactly(8001);
        scheduler.advance(1000);
        assertThat(served(g)).containsExactlyInAnyOrder(8001, 8002);
        var health = g.status().peers().get(1).health();
        assertThat(health.checks()).isEqualTo(6);
        assertThat(health.fails()).isEqualTo(2);
        assertThat(health.unhealthyTimes()).isEqualTo(1);
        assertThat(health.lastPassed()).isTrue();
    }

    @Test
    void everyMethodAndStickyHintsSkipAnUnhealthyServer() throws ConfigException {
        for (String method : List.of("", "least_conn;", "ip_hash;", "hash $remote_addr;", "hash $remote_addr consistent;",
                "random;", "random two;", "least_time header;")) {
            UpstreamGroup g = group(method + " zone z 64k; server 127.0.0.1:8001; server 127.0.0.1:8002;"
                    + " server 127.0.0.1:8003;", "interval=1s");
            answers.put(8002, -1);
            scheduler.runDue();
            assertThat(served(g)).as(method).doesNotContain(8002).isNotEmpty();
            Peer sick = g.peers().get(1);
            Attempts a = g.newAttempts();
            Peer p = g.select(a, sick.sid(), new FakeRequest());
            assertThat(p).as("a session bound to it goes elsewhere (" + method + ")").isNotSameAs(sick).isNotNull();
            g.release(p, Outcome.OK, a);
            g.monitor().stop();
            scheduler.advance(10_000);
            answers.clear();
        }
    }

    @Test
    void aSingleServerThatIsUnhealthyGetsNothing() throws ConfigException {
        UpstreamGroup g = group("zone z 64k; server 127.0.0.1:8001;", "");
        answers.put(8001, 500);
        scheduler.runDue();
        assertThat(served(g)).isEmpty();
        assertThat(state(g, 8001)).isEqualTo("unhealthy");
    }

    @Test
    void mandatoryKeepsNewServersOutUntilTheirFirstCheckPasses() throws Exception {
        UpstreamGroup g = group("zone z 64k; server 127.0.0.1:8001;", "interval=5s mandatory");
        assertThat(served(g)).as("checking at start").isEmpty();
        assertThat(state(g, 8001)).isEqualTo("checking");
        scheduler.runDue();
        assertThat(served(g)).containsExactly(8001);
        answers.put(8002, 0); // accepts and never answers
        answers.put(8003, 200);
        ServerSpec s2 = ServerSpec.parse(ConfigParser.parseString("server 127.0.0.1:8002;", "t").first("server"),
                "127.0.0.1:8002").get(0);
        ServerSpec s3 = ServerSpec.parse(ConfigParser.parseString("server 127.0.0.1:8003;", "t").first("server"),
                "127.0.0.1:8003").get(0);
        g.add(s2);
        g.add(s3);
        assertThat(served(g)).as("added servers are checking").containsExactly(8001);
        assertThat(state(g, 8002)).isEqualTo("checking");
        scheduler.runDue();
        assertThat(served(g)).containsExactlyInAnyOrder(8001, 8003);
        assertThat(state(g, 8002)).as("no answer yet").isEqualTo("checking");
    }

    @Test
    void stoppedCheckersCheckNoMoreAndRemovedServersAreForgotten() throws ConfigException {
        UpstreamGroup g = group("zone z 64k; server 127.0.0.1:8001; server 127.0.0.1:8002;", "interval=1s jitter=500ms");
        scheduler.runDue();
        g.remove(g.peers().get(1).id());
        probed.clear();
        scheduler.advance(1500);
        assertThat(probed).containsExactly("8001 u /");
        g.monitor().stop();
        scheduler.advance(5000);
        assertThat(probed).hasSize(1);
        assertThat(closed).isTrue();
    }

    /** A runtime on the test's scheduler for one check. */
    private HealthChecker.Runtime runtime(HttpCheck check) {
        return new HealthChecker.Runtime() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public CompletableFuture<String> check(InetSocketAddress address) {
                return check.run(probe, address);
            }

            @Override
            public void close() {
            }
        };
    }

    private HealthChecker checker(String params) throws ConfigException {
        HealthCheckSpec hc = HealthCheckSpec.parse(ConfigParser.parseString("health_check " + params + ";", "t.conf")
                .first("health_check"));
        HttpCheck check = new HttpCheck(MatchSpec.DEFAULT, new HealthProbe.ProbeRequest("u", hc.uri(), 1000, 1000));
        return new HealthChecker(hc, () -> runtime(check));
    }

    @Test
    void withSeveralChecksAServerIsOutWhileAnyOfThemFindsItUnhealthy() throws ConfigException {
        UpstreamSpec spec = UpstreamSpec.parse(ConfigParser.parseString(
                "upstream u { zone z 64k; server 127.0.0.1:8001; server 127.0.0.1:8002; }", "t.conf").first("upstream"));
        UpstreamGroup g = UpstreamGroup.compile(spec, clock, VariableRegistry.withCoreVariables());
        HealthChecks checks = new HealthChecks();
        checks.add(checker("interval=1s uri=/a"));
        checks.add(checker("interval=1s uri=/b fails=2 passes=2"));
        g.setMonitor(checks);
        g.restartHealth(checks.mandatory(), checks.persistent());
        checks.start(g);
        scheduler.runDue();
        assertThat(served(g)).containsExactlyInAnyOrder(8001, 8002);
        failing.add("8002 /b");
        scheduler.advance(1000);
        assertThat(served(g)).as("/b failed once of two").containsExactlyInAnyOrder(8001, 8002);
        scheduler.advance(1000);
        assertThat(served(g)).as("/b failed twice, /a passes").containsExactly(8001);
        assertThat(state(g, 8002)).isEqualTo("unhealthy");
        failing.clear();
        scheduler.advance(1000);
        assertThat(served(g)).as("/b passed once of two").containsExactly(8001);
        scheduler.advance(1000);
        assertThat(served(g)).containsExactlyInAnyOrder(8001, 8002);
        failing.add("8002 /a");
        scheduler.advance(1000);
        assertThat(served(g)).as("/a fails at once").containsExactly(8001);
        var health = g.status().peers().get(1).health();
        assertThat(health.checks()).as("both checks, six rounds").isEqualTo(12);
        assertThat(health.fails()).isEqualTo(3);
        assertThat(health.unhealthyTimes()).isEqualTo(2);
        checks.stop();
    }

    @Test
    void parametersAreCheckedAtTheirLine() {
        for (String[] bad : new String[][] {{"interval=0", "greater than zero"}, {"fails=x", "invalid"},
                {"port=70000", "invalid port"}, {"persistent", "\"persistent\" requires \"mandatory\""},
                {"type=grpc", "parameter \"type=grpc\" of \"health_check\" is not supported"},
                {"keepalive_time=0", "greater than zero"}, {"udp", "invalid parameter \"udp\""},
                {"bogus", "invalid parameter \"bogus\""}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HealthCheckSpec.parse(ConfigParser.parseString(
                    "health_check " + bad[0] + ";", "t.conf").first("health_check")))
                    .as(bad[0]).hasMessageContaining(bad[1]).hasMessageContaining("t.conf:1");
        }
    }
}
