package io.zonesync.sync.link;

import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The link tests' zone: the records a test puts in, in that order, and nothing from peers. It
 * counts the copies taken of it (snapshots, digest passes) and keeps the last one weakly, so that a
 * test can see whether a link still holds it.
 */
class RecordsZone implements ReplicatedZone<String> {
    private final String name;
    private final ZoneType type;
    private final Map<String, ZoneRecord> records = new LinkedHashMap<>();
    private volatile boolean stampsEveryChange = true;
    final AtomicInteger copies = new AtomicInteger();
    /** The last copy handed out. */
    volatile WeakReference<Iterator<ZoneRecord>> lastSnapshot = new WeakReference<>(null);

    RecordsZone(String name, ZoneType type) {
        this.name = name;
        this.type = type;
    }

    /** Puts {@code key}'s record: a one-byte payload stamped {@code stamp}, no expiry. */
    RecordsZone put(String key, Stamp stamp) {
        records.put(key, new ZoneRecord(key.getBytes(StandardCharsets.UTF_8), new byte[] {1}, stamp, false,
                ZoneRecord.NO_EXPIRY));
        return this;
    }

    /** Makes the zone say it changes records without new stamps (as sticky sessions do), or not. */
    void stampsEveryChange(boolean stamps) {
        stampsEveryChange = stamps;
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
        return records.size();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        copies.incrementAndGet();
        Iterator<ZoneRecord> copy = new ArrayList<>(records.values()).iterator();
        lastSnapshot = new WeakReference<>(copy);
        return copy;
    }

    @Override
    public ZoneRecord export(String key) {
        return records.get(key);
    }

    @Override
    public boolean applyRemote(ZoneRecord record) {
        return false;
    }

    @Override
    public boolean stampsEveryChange() {
        return stampsEveryChange;
    }

    @Override
    public void setChangeListener(ChangeListener<String> listener) {
    }
}
