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
 * read once a round however many peers compare it; the last few cutoffs' digests are kept for
 * links that ask late. Computed on the asking link's event loop a chunk at a time, each chunk a
 * scheduled task: the loop reads and writes its sockets between two chunks (a task that queued the
 * next one at once would see it run in the same batch, up to 64 chunks in a row, and records
 * waited behind a whole zone's digest: 140-200 ms of the 10k/s p999). Whoever asks while it is
 * computed waits for the same result.
 */
public final class ZoneDigests {
    /** Records read per event loop task. */
    static final int CHUNK = 4096;

    /**
     * Cutoffs kept per zone. Under load the links of one round ask late, after others already
     * asked for the next cutoff; with one entry per zone each such request replaced the other and
     * took a copy of the zone again (a 32-node cluster filling a 1M-record zone held 197 copies,
     * 233 MB, at once). With a few kept, a late link shares its round's digest.
     */
    static final int CUTOFFS_KEPT = 4;

    private final Map<String, List<Entry>> byZone = new HashMap<>();

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

    /**
     * Hands {@code zone}'s digest at {@code cutoff} to {@code then}, on {@code loop}; or declines,
     * false, when the zone's digest at another cutoff is still being computed: one pass over a zone
     * at a time, each holding a copy of the zone's references. On a node too busy to finish a pass
     * within the interval, a new pass every round piled up copies without end (a 32-node cluster
     * filling a 1M-record zone ran its nodes out of heap); the rounds that find one under way skip.
     */
    boolean request(ReplicatedZone<?> zone, long cutoff, EventExecutor loop, Consumer<ZoneDigest> then) {
        Entry e;
        synchronized (this) {
            List<Entry> kept = byZone.computeIfAbsent(zone.name(), n -> new ArrayList<>());
            kept.removeIf(k -> k.zone != zone); // a reload replaced the zone
            for (Entry found : kept) {
                if (found.cutoff == cutoff) {
                    if (found.done != null) {
                        ZoneDigest d = found.done;
                        loop.execute(() -> then.accept(d));
                    } else {
                        found.waiters.add(() -> loop.execute(() -> then.accept(found.done)));
                    }
                    return true;
                }
            }
            for (Entry other : kept) {
                if (other.done == null) {
                    return false;
                }
            }
            Entry fresh = new Entry(zone, cutoff);
            fresh.waiters.add(() -> loop.execute(() -> then.accept(fresh.done)));
            kept.add(fresh);
            if (kept.size() > CUTOFFS_KEPT) {
                kept.remove(0); // the oldest asked for, computed (only the newest may still be computing)
            }
            e = fresh;
        }
        step(loop, e, new ZoneDigest.Builder(cutoff, zone.snapshot()));
        return true;
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
