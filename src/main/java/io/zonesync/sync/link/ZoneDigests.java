package io.zonesync.sync.link;

import io.netty.util.concurrent.EventExecutor;
import io.zonesync.zone.ReplicatedZone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster's digests of its zones, one per zone and cutoff, shared by every link: the links
 * of one round ask for the same cutoff (it falls on a grid of the digest interval), so a zone is
 * read once a round however many peers compare it. Computed on the asking link's event loop a
 * chunk at a time, each chunk a scheduled task: the loop reads and writes its sockets between two
 * chunks (a task that queued the next one at once would see it run in the same batch, up to 64
 * chunks in a row, and records waited behind a whole zone's digest: 140-200 ms of the 10k/s p999).
 * Whoever asks while it is computed waits for the same result.
 */
public final class ZoneDigests {
    /** Records read per event loop task. */
    static final int CHUNK = 4096;

    private final Map<String, Entry> byZone = new HashMap<>();

    private static final class Entry {
        final ReplicatedZone<?> zone;
        final long cutoff;
        ZoneDigest done;
        List<Runnable> waiters = new ArrayList<>();

        Entry(ReplicatedZone<?> zone, long cutoff) {
            this.zone = zone;
            this.cutoff = cutoff;
        }
    }

    /** Hands {@code zone}'s digest at {@code cutoff} to {@code then}, on {@code loop}. */
    void request(ReplicatedZone<?> zone, long cutoff, EventExecutor loop, Consumer<ZoneDigest> then) {
        Entry e;
        synchronized (this) {
            Entry found = byZone.get(zone.name());
            if (found != null && found.zone == zone && found.cutoff == cutoff) {
                if (found.done != null) {
                    ZoneDigest d = found.done;
                    loop.execute(() -> then.accept(d));
                } else {
                    found.waiters.add(() -> loop.execute(() -> then.accept(found.done)));
                }
                return;
            }
            Entry fresh = new Entry(zone, cutoff);
            fresh.waiters.add(() -> loop.execute(() -> then.accept(fresh.done)));
            byZone.put(zone.name(), fresh);
            e = fresh;
        }
        step(loop, e, new ZoneDigest.Builder(cutoff, zone.snapshot()));
    }

    private void step(EventExecutor loop, Entry e, ZoneDigest.Builder b) {
        loop.schedule(() -> {
            if (!b.step(CHUNK)) {
                step(loop, e, b);
                return;
            }
            List<Runnable> waiters;
            synchronized (this) {
                e.done = b.digest();
                waiters = e.waiters;
                e.waiters = null;
            }
            waiters.forEach(Runnable::run);
        }, 0, TimeUnit.NANOSECONDS);
    }
}
