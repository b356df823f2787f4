package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's counters and each worker's: a connection counts in the node's and in its loop's. */
class ConnectionStatsTest {
    private final ConnectionStats stats = new ConnectionStats();
    private final EmbeddedChannel first = new EmbeddedChannel();
    private final EmbeddedChannel second = new EmbeddedChannel();
    private final EmbeddedChannel elsewhere = new EmbeddedChannel();

    ConnectionStatsTest() {
        stats.countPerWorker(List.of(first.eventLoop(), second.eventLoop()));
    }

    @Test
    void eachLoopCountsWhatItServesAndTheNodeCountsAll() {
        stats.accepted(first);
        stats.readingHeader(first);
        stats.headerRead(first);
        stats.requestStarted(first);
        stats.accepted(second);
        stats.readingHeader(second);
        stats.headerRead(second);
        stats.requestStarted(second);
        stats.requestEnded(second);
        stats.dropped(second);
        stats.accepted(elsewhere); // zone_sync's loop: not a worker

        List<ConnectionStats.Snapshot> w = stats.workers();
        assertThat(w).containsExactly(new ConnectionStats.Snapshot(1, 1, 1, 1, 0, 1, 0),
                new ConnectionStats.Snapshot(2, 1, 1, 1, 0, 0, 1));
        assertThat(w.get(1).dropped()).isEqualTo(1);
        assertThat(stats.snapshot()).isEqualTo(new ConnectionStats.Snapshot(4, 3, 2, 3, 0, 1, 2));
    }

    @Test
    void aHeaderBeingReadIsActiveUntilReadOrAbandoned() {
        stats.accepted(first);
        stats.readingHeader(first);
        assertThat(stats.workers().get(0).reading()).isEqualTo(1);
        assertThat(stats.workers().get(0).waiting()).isZero();
        stats.headerAbandoned(first);
        first.close();
        assertThat(stats.workers().get(0)).isEqualTo(new ConnectionStats.Snapshot(1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void aClosedConnectionLeavesItsWorker() {
        stats.accepted(second);
        assertThat(stats.workers().get(1).active()).isEqualTo(1);
        second.close();
        assertThat(stats.workers().get(1).active()).isZero();
        assertThat(stats.snapshot().active()).isZero();
    }

    @Test
    void resettingAWorkerZeroesItsTotalsOnlyAndNotTheNodes() {
        stats.accepted(first);
        stats.dropped(first);
        stats.requestStarted(first);
        stats.accepted(second);

        assertThat(stats.resetWorker(0)).isTrue();
        assertThat(stats.resetWorker(2)).isFalse();
        assertThat(stats.resetWorker(-1)).isFalse();

        assertThat(stats.workers().get(0)).as("what is open and in progress stays")
                .isEqualTo(new ConnectionStats.Snapshot(0, 0, 0, 1, 0, 1, 0));
        assertThat(stats.workers().get(1).accepted()).isEqualTo(1);
        assertThat(stats.snapshot().accepted()).isEqualTo(3);
        assertThat(stats.snapshot().requests()).isEqualTo(1);
    }

    @Test
    void withoutWorkersOnlyTheNodeCounts() {
        ConnectionStats alone = new ConnectionStats();
        alone.accepted(first);
        assertThat(alone.workers()).isEmpty();
        assertThat(alone.snapshot().accepted()).isEqualTo(1);
    }
}
