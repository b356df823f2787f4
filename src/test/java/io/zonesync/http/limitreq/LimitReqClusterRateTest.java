package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cluster of limit_req replicas on one simulated clock, records delivered through
 * {@link LimitReqReplica#export}/{@link LimitReqReplica#applyRemote} after a fixed time in flight,
 * admits what one zone admits under the same total load: within 2%, with and without a burst, with
 * the load spread evenly or not. Deterministic: every node is offered requests at fixed
 * milliseconds, and the reference zone gets all of them.
 */
class LimitReqClusterRateTest {
    private static final LimitKey K = LimitKey.of("client");
    private static final long SECONDS = 20;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int rate : new int[] {10, 100, 1000}) {
            for (int burst : new int[] {0, 20}) {
                for (int nodes : new int[] {2, 3}) {
                    for (int transit : new int[] {0, 1, 3}) {
                        for (boolean even : new boolean[] {true, false}) {
                            out.add(Arguments.of(rate, burst, nodes, transit, even));
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}r/s burst={1}, {2} nodes, {3} ms in flight, even load: {4}")
    @MethodSource("cases")
    void theClusterAdmitsWhatOneZoneAdmits(int rate, int burst, int nodes, int transit, boolean even) {
        long cluster = run(rate, burst, nodes, transit, even);
        long single = run(rate, burst, 1, 0, even, nodes);
        assertThat((double) cluster / single).as("cluster %d, one zone %d", cluster, single).isBetween(0.98, 1.02);
    }

    private long run(int rate, int burst, int nodes, int transit, boolean even) {
        return run(rate, burst, nodes, transit, even, nodes);
    }

    /**
     * Offers {@code sources} streams of requests (one a millisecond each; with uneven load, stream i
     * every i+1 ms) to {@code nodes} replicas, stream i to node i mod nodes; returns the requests admitted.
     */
    private long run(int rate, int burst, int nodes, int transit, boolean even, int sources) {
        MutableClock clock = MutableClock.uptime();
        MutableClock wall = new MutableClock(clock.millis()); // the stamps' clock, moved with the monotonic one
        List<LimitReqReplica> replicas = new ArrayList<>();
        PriorityQueue<Delivery> inFlight = new PriorityQueue<>();
        for (int n = 0; n < nodes; n++) {
            int node = n;
            LimitReqReplica r = new LimitReqReplica(new LimitReqZone("one", 1 << 20, "$k", rate * 1000L, clock),
                    stampsOf(n + 1, wall), wall);
            r.setChangeListener((zone, key) -> {
                ZoneRecord record = r.export(key);
                for (int to = 0; to < nodes; to++) {
                    if (to != node) {
                        inFlight.add(new Delivery(clock.millis() + transit, inFlight.size(), to, record));
                    }
                }
            });
            replicas.add(r);
        }
        long admitted = 0;
        for (long t = 0; t < SECONDS * 1000; t++, wall.advance(1)) {
            clock.at(t);
            while (!inFlight.isEmpty() && inFlight.peek().at() <= clock.millis()) {
                Delivery d = inFlight.poll();
                replicas.get(d.to()).applyRemote(d.record());
            }
            for (int s = 0; s < sources; s++) {
                if (!even && t % (s + 1) != 0) {
                    continue;
                }
                LimitReqZone zone = replicas.get(s % nodes).zone();
                if (zone.lookup(K, burst * 1000L, true).outcome() == LimitReqZone.Outcome.OK) {
                    admitted++;
                }
            }
        }
        return admitted;
    }

    private record Delivery(long at, int seq, int to, ZoneRecord record) implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery o) {
            return at != o.at ? Long.compare(at, o.at) : Integer.compare(seq, o.seq);
        }
    }

    private static StampSource stampsOf(long node, Clock wall) {
        return new StampSource() {
            private int counter;

            @Override
            public Stamp next() {
                return new Stamp(Stamp.hlc(wall.millis(), ++counter), node);
            }

            @Override
            public void observe(Stamp remote) {
            }
        };
    }
}
