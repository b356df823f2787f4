package io.zonesync.http.limitreq;

import io.zonesync.zone.ExportingIterator;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.time.Clock;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code limit_req_zone ... sync} as the sync engine sees it. Replication is additive: every
 * record carries the number of requests this node has accepted for the key (a running count, not a
 * delta to take and reset) with its bucket; the receiver adds the requests counted since the last
 * record it merged from this node. So {@link #export} changes nothing and can be called any number
 * of times: by every link (one per peer), again for a record that did not fit a frame, by a
 * snapshot overlapping a live push. Nothing is lost or counted twice whatever the engine does, at the
 * cost of one remembered count per peer and key on the receiver. The sender is the record's stamp
 * node (records are never forwarded); the stamp orders nothing else.
 */
public final class LimitReqReplica implements ReplicatedZone<LimitKey> {
    /** Wire tag 3 (limit_req), codec version 1, as doc/protocol.md 3.2 assigns them. */
    public static final ZoneType TYPE = new ZoneType("limit_req", 3, 1);
    private static final Logger LOG = LoggerFactory.getLogger(LimitReqReplica.class);

    /**
     * The longest time in flight a record is credited with (its stamp's age on arrival): beyond it,
     * a late record is charged as if it had taken this long, so a peer whose clock runs behind cannot
     * buy more than this much of an empty bucket's time.
     */
    static final long MAX_TRANSIT_MS = 100;

    private final LimitReqZone zone;
    private final StampSource stamps;
    private final Clock wall;
    private volatile long lastFullLog;

    /** @param wall the clock the stamps are read against, to learn how long a record was in flight */
    public LimitReqReplica(LimitReqZone zone, StampSource stamps, Clock wall) {
        this.zone = zone;
        this.stamps = stamps;
        this.wall = wall;
    }

    public LimitReqZone zone() {
        return zone;
    }

    @Override
    public String name() {
        return zone.name();
    }

    @Override
    public ZoneType type() {
        return TYPE;
    }

    @Override
    public long recordCount() {
        return zone.size();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        return new ExportingIterator<>(zone.keys(), this::export);
    }

    @Override
    public ZoneRecord export(LimitKey key) {
        LimitReqZone.Export e = zone.export(key);
        if (e == null) {
            return null;
        }
        return new ZoneRecord(key.bytes(), LimitReqRecord.encode(e), stamps.next(), false, ZoneRecord.NO_EXPIRY);
    }

    /** Counts are stamped when sent, and a lost one is made good by the next: no digests. */
    @Override
    public boolean reconciled() {
        return false;
    }

    @Override
    public boolean applyRemote(ZoneRecord record) {
        LimitReqZone.Export e = LimitReqRecord.decode(record.payload());
        if (e == null || record.tombstone() || record.key().length == 0) {
            return false;
        }
        long transit = Math.min(MAX_TRANSIT_MS, Math.max(0, wall.millis() - record.stamp().millis()));
        if (!zone.merge(LimitKey.wrap(record.key()), record.stamp().node(), e, e.idleMs() + transit)) {
            long now = System.nanoTime();
            if (now - lastFullLog > 60_000_000_000L) {
                lastFullLog = now;
                LOG.warn("limit_req zone \"{}\" has no room for a key a peer sent ({} bytes of {} in use):"
                        + " its count is not merged", zone.name(), zone.usedBytes(), zone.sizeBytes());
            }
            return false;
        }
        return true;
    }

    @Override
    public void setChangeListener(ChangeListener<LimitKey> listener) {
        zone.onAccept(listener == null ? null : key -> listener.changed(this, key));
    }
}
