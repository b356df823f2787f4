package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SnapshotDurationsTest {

    @Test
    void eachDurationFallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        assertThat(SnapshotDurations.bucketOf(0)).isZero();
        assertThat(SnapshotDurations.bucketOf(0.005)).isZero();
        assertThat(SnapshotDurations.bucketOf(0.0051)).isEqualTo(1);
        assertThat(SnapshotDurations.bucketOf(1)).isEqualTo(7);
        assertThat(SnapshotDurations.bucketOf(300)).isEqualTo(SnapshotDurations.BOUNDS.length - 1);
        assertThat(SnapshotDurations.bucketOf(301)).isEqualTo(SnapshotDurations.BOUNDS.length);
    }

    @Test
    void snapshotsAreCountedPerZoneAndDirectionWithTheirSum() {
        SnapshotDurations d = new SnapshotDurations();
        assertThat(d.all()).isEmpty();
        d.record("b", SnapshotDurations.Direction.SEND, TimeUnit.MILLISECONDS.toNanos(3));
        d.record("b", SnapshotDurations.Direction.SEND, TimeUnit.MILLISECONDS.toNanos(750));
        d.record("a", SnapshotDurations.Direction.RECEIVE, TimeUnit.SECONDS.toNanos(20));
        List<SnapshotDurations.Histogram> all = d.all();
        assertThat(all).extracting(SnapshotDurations.Histogram::zone).containsExactly("a", "a", "b", "b");
        SnapshotDurations.Histogram aReceived = all.get(1);
        assertThat(aReceived.direction()).isEqualTo(SnapshotDurations.Direction.RECEIVE);
        assertThat(aReceived.count()).isEqualTo(1);
        assertThat(aReceived.counts()[11]).isEqualTo(1); // (10 s, 30 s]
        assertThat(aReceived.sumSeconds()).isEqualTo(20.0);
        assertThat(all.get(0).count()).as("nothing sent of a").isZero();
        SnapshotDurations.Histogram bSent = all.get(2);
        assertThat(bSent.counts()[0]).isEqualTo(1);
        assertThat(bSent.counts()[7]).isEqualTo(1);
        assertThat(bSent.sumSeconds()).isEqualTo(0.753, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(all.get(3).count()).isZero();
    }
}
