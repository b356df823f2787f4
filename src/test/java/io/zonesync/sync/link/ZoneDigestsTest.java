package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZoneDigestsTest {
    private final DefaultEventExecutor loop = new DefaultEventExecutor();

    /** A zone of three records; it counts the copies taken of it. */
    private static RecordsZone threeRecords() {
        RecordsZone zone = new RecordsZone("z", new ZoneType("test", 99, 1));
        for (int i = 0; i < 3; i++) {
            zone.put("k" + i, new Stamp(Stamp.hlc(1_000, i), 7));
        }
        return zone;
    }

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static ZoneDigest digest(ZoneDigests digests, ReplicatedZone<?> zone, long cutoff,
            DefaultEventExecutor loop) throws Exception {
        CompletableFuture<ZoneDigest> out = new CompletableFuture<>();
        digests.request(zone, cutoff, loop, out::complete);
        return out.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLinkAskingLateForTheLastRoundsCutoffSharesItsDigestInsteadOfCopyingTheZoneAgain() throws Exception {
        ZoneDigests digests = new ZoneDigests();
        RecordsZone zone = threeRecords();
        ZoneDigest first = digest(digests, zone, 10_000, loop);
        digest(digests, zone, 20_000, loop); // another link is a round ahead
        assertThat(digest(digests, zone, 10_000, loop)).isSameAs(first);
        assertThat(zone.copies).hasValue(2);
    }

    @Test
    void aRoundThatFindsThePreviousPassOverTheZoneUnfinishedIsDeclinedInsteadOfCopyingTheZoneAgain() throws Exception {
        ZoneDigests digests = new ZoneDigests();
        RecordsZone zone = threeRecords();
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> { // the loop is too busy to compute anything yet
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<ZoneDigest> first = new CompletableFuture<>();
        assertThat(digests.request(zone, 10_000, loop, first::complete)).isTrue();
        assertThat(digests.request(zone, 20_000, loop, d -> { })).as("the next round, the first pass unfinished").isFalse();
        CompletableFuture<ZoneDigest> same = new CompletableFuture<>();
        assertThat(digests.request(zone, 10_000, loop, same::complete)).as("the same round waits for it").isTrue();
        assertThat(zone.copies).hasValue(1);
        busy.countDown();
        assertThat(same.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
        assertThat(digest(digests, zone, 20_000, loop)).isNotNull();
        assertThat(zone.copies).hasValue(2);
    }

    @Test
    void onlyTheLastFewCutoffsAreKept() throws Exception {
        ZoneDigests digests = new ZoneDigests();
        RecordsZone zone = threeRecords();
        for (int round = 1; round <= ZoneDigests.CUTOFFS_KEPT + 1; round++) {
            digest(digests, zone, round * 10_000L, loop);
        }
        digest(digests, zone, 10_000, loop); // the oldest, let go: read again
        assertThat(zone.copies).hasValue(ZoneDigests.CUTOFFS_KEPT + 2);
    }
}
