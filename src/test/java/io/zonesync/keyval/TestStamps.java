package io.zonesync.keyval;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A small hybrid logical clock for tests, recording what it observed. */
public final class TestStamps implements StampSource {
    private final Clock clock;
    private final long node;
    private long last;
    public final List<Stamp> observed = new ArrayList<>();

    public TestStamps(Clock clock, long node) {
        this.clock = clock;
        this.node = node;
    }

    @Override
    public synchronized Stamp next() {
        last = Math.max(last + 1, Stamp.hlc(clock.millis(), 0));
        return new Stamp(last, node);
    }

    @Override
    public synchronized void observe(Stamp remote) {
        observed.add(remote);
        last = Math.max(last, remote.hlc());
    }
}
