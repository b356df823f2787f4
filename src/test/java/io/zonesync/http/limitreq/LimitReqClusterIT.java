package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.FakeRequest;
import io.zonesync.log.Severity;
import io.zonesync.net.Transport;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.SyncEngine;
import io.zonesync.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three sync engines on loopback, each with the same {@code limit_req_zone ... sync}; one client key
 * hits them round-robin at three times the rate. Additive merging must keep what the cluster accepts
 * within 5% of what one node alone would: {@code rate * T + burst + 1}.
 */
class LimitReqClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(LimitReqClusterIT.class);
    private static final long RATE = 50_000; // 50r/s
    private static final int BURST = 10;
    private static final int OFFERED_PER_SECOND = 150;
    private static final long RUN_MS = 4000;

    private final Transport transport = Transport.create(2, "limitreq-it");
    private TestCluster<SyncEngine> engines;

    @AfterEach
    void tearDown() {
        if (engines != null) {
            engines.close();
        }
        transport.shutdown();
    }

    @Test
    void threeNodesHoldTheClusterRateWithinFivePercent() throws Exception {
        List<LimitReqPolicy> policies = new ArrayList<>();
        engines = TestCluster.start(3, (i, peers) -> SyncEngine.conf(0, peers, ""), (i, conf) -> {
            long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            HybridLogicalClock hlc = HybridLogicalClock.of(id, Clock.systemUTC());
            LimitReqZone zone = new LimitReqZone("one", 1 << 20, "$binary_remote_addr", RATE, MonotonicClock.system());
            policies.add(new LimitReqPolicy(List.of(new LimitRule(zone, ComplexValue.constant("client"),
                    BURST * 1000L, LimitRule.NO_DELAY)), 503, Severity.INFO, false));
            return new SyncEngine(transport, conf, id, hlc, Clock.systemUTC(),
                    List.of(new LimitReqReplica(zone, hlc, Clock.systemUTC()))).start();
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engines.nodes().stream().allMatch(e -> e.online() == 2));

        FakeRequest request = new FakeRequest();
        long intervalNanos = 1_000_000_000L / OFFERED_PER_SECOND;
        long start = System.nanoTime();
        int offered = 0;
        int accepted = 0;
        while (System.nanoTime() - start < RUN_MS * 1_000_000L) {
            long due = start + offered * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the offered load, not waiting for a condition
            }
            LimitReqPolicy.Decision d = policies.get(offered % 3).decide(request);
            offered++;
            if (d.status() == LimitReqStatus.PASSED) {
                accepted++;
            }
        }
        double expected = RATE / 1000.0 * RUN_MS / 1000.0 + BURST + 1;
        double ratio = accepted / expected;
        LOG.info("limit_req cluster accuracy: 3 nodes, {} offered at {}/s for {} ms, {} accepted, {} expected,"
                + " ratio {}", offered, OFFERED_PER_SECOND, RUN_MS, accepted, expected, String.format("%.3f", ratio));
        System.out.printf("LIMITREQ-ACCURACY nodes=3 offered=%d accepted=%d expected=%.0f ratio=%.3f%n", offered,
                accepted, expected, ratio);
        assertThat(ratio).isBetween(0.95, 1.05);
    }
}
