package io.zonesync.sync.cluster;

import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A last-writer-wins map of strings, the smallest zone the engine can sync: the engine's tests use
 * it so that they test the engine, not a feature's zone.
 */
final class MapZone implements ReplicatedZone<String> {
    record Entry(String value, Stamp stamp) {
        boolean deleted() {
            return value == null;
        }
    }

    private final String name;
    private final ZoneType type;
    private final StampSource clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile ChangeListener<String> listener = (z, k) -> { };
    /** Run by the next snapshot right after it copied the keys: a write racing the copy. */
    private volatile Runnable afterSnapshotCopy;

    MapZone(String name, ZoneType type, StampSource clock) {
        this.name = name;
        this.type = type;
        this.clock = clock;
    }

    MapZone(String name, StampSource clock) {
        this(name, new ZoneType("test-map", 1, 1), clock);
    }

    void put(String key, String value) {
        entries.put(key, new Entry(value, clock.next()));
        listener.changed(this, key);
    }

    void delete(String key) {
        entries.put(key, new Entry(null, clock.next()));
        listener.changed(this, key);
    }

    String get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    Map<String, String> live() {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, e) -> {
            if (!e.deleted()) {
                out.put(k, e.value());
            }
        });
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ZoneType type() {
        return type;
    }

    @Override
    public long recordCount() {
        return entries.values().stream().filter(e -> !e.deleted()).count();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        List<String> keys = new ArrayList<>(entries.keySet());
        Runnable race = afterSnapshotCopy;
        afterSnapshotCopy = null;
        if (race != null) {
            race.run();
        }
        return keys.stream().map(this::export).filter(Objects::nonNull).iterator();
    }

    void afterNextSnapshotCopy(Runnable r) {
        afterSnapshotCopy = r;
    }

    @Override
    public ZoneRecord export(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (e.deleted()) {
            return new ZoneRecord(k, new byte[0], e.stamp(), true, 60_000);
        }
        return new ZoneRecord(k, e.value().getBytes(StandardCharsets.UTF_8), e.stamp(), false, ZoneRecord.NO_EXPIRY);
    }

    @Override
    public boolean applyRemote(ZoneRecord r) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        Entry incoming = new Entry(r.tombstone() ? null : new String(r.payload(), StandardCharsets.UTF_8), r.stamp());
        boolean[] changed = {false};
        entries.compute(key, (k, old) -> {
            if (old == null || r.stamp().isNewerThan(old.stamp())) {
                changed[0] = true;
                return incoming;
            }
            return old;
        });
        return changed[0];
    }

    @Override
    public void setChangeListener(ChangeListener<String> l) {
        listener = l;
    }
}
