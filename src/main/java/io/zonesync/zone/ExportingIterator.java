package io.zonesync.zone;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A snapshot made of a zone's keys: each key is exported when the iterator reaches it (so its
 * state and lifetime are those of the moment it is sent), and keys that export nothing are skipped.
 * For zones whose records are cheap to look up by key.
 */
public final class ExportingIterator<K> implements Iterator<ZoneRecord> {
    private final Iterator<K> keys;
    private final Function<K, ZoneRecord> export;
    private ZoneRecord ahead;

    public ExportingIterator(Iterator<K> keys, Function<K, ZoneRecord> export) {
        this.keys = keys;
        this.export = export;
    }

    @Override
    public boolean hasNext() {
        while (ahead == null && keys.hasNext()) {
            ahead = export.apply(keys.next());
        }
        return ahead != null;
    }

    @Override
    public ZoneRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ZoneRecord r = ahead;
        ahead = null;
        return r;
    }
}
