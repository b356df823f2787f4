package io.zonesync.http.sticky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.MutableClock;
import io.zonesync.net.Transport;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.SyncEngine;
import io.zonesync.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sticky learn zones on three sync engines over loopback: a session learned on one node is bound on
 * all, a re-bind on any node wins everywhere, and use on one node keeps the session alive on all
 * (the session clocks are moved by hand; the engines run on real time).
 */
class StickySyncIT {
    private static final long TIMEOUT = 60_000;
    private Transport transport;
    private TestCluster<SyncEngine> engines;
    private final List<SessionZone> zones = new ArrayList<>();
    private final List<MutableClock> clocks = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        transport = Transport.create(2, "sticky-sync");
        engines = TestCluster.start(3, (i, peers) -> SyncEngine.conf(0, peers, ""), (i, conf) -> {
            long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            HybridLogicalClock hlc = HybridLogicalClock.of(id, Clock.systemUTC());
            MutableClock clock = new MutableClock(System.currentTimeMillis());
            SessionZone zone = new SessionZone("sessions", "backend", 1024 * 1024, TIMEOUT, true, clock, hlc);
            zones.add(zone);
            clocks.add(clock);
            return new SyncEngine(transport, conf, id, hlc, Clock.systemUTC(), List.of(new StickyReplica(zone))).start();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> engines.nodes().stream().allMatch(e -> e.online() == 2));
    }

    @AfterEach
    void tearDown() {
        if (engines != null) {
            engines.close();
        }
        transport.shutdown();
    }


    private void advanceAll(long ms) {
        clocks.forEach(c -> c.advance(ms));
    }

    @Test
    void learnedOnOneBoundOnAllRebindWinsAndUseAnywhereKeepsItAlive() {
        SessionZone a = zones.get(0);
        SessionZone b = zones.get(1);
        SessionZone c = zones.get(2);
        a.learn("user-1", "sid-x", true);
        a.learn("idle-one", "sid-x", true);
        await().until(() -> "sid-x".equals(b.lookup("user-1")) && "sid-x".equals(c.lookup("user-1"))
                && c.lookup("idle-one") != null);

        // the bound server died; node C served the session elsewhere and re-bound it
        c.learn("user-1", "sid-y", false);
        await().until(() -> "sid-y".equals(a.lookup("user-1")) && "sid-y".equals(b.lookup("user-1")));

        // used only on B, 40 s later: A and C hear of the use
        advanceAll(40_000);
        b.learn("user-1", "sid-y", false);
        await().until(() -> a.export(SessionKey.of("user-1")).idleMs() < 1_000
                && c.export(SessionKey.of("user-1")).idleMs() < 1_000);

        // 80 s after creation: the used session lives on every node, the unused one is gone everywhere
        advanceAll(40_000);
        for (SessionZone z : zones) {
            assertThat(z.lookup("user-1")).isEqualTo("sid-y");
            assertThat(z.lookup("idle-one")).isNull();
        }
    }
}
