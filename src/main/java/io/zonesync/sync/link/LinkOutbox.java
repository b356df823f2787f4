package io.zonesync.sync.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.sync.proto.RecordBatchWriter;
import io.zonesync.sync.proto.SnapshotBegin;
import io.zonesync.sync.proto.SnapshotEnd;
import io.zonesync.sync.proto.SyncRecord;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one link owes its peer, zone by zone, and how it is packed: logged changes and the snapshot,
 * encoded into RECORDS frames of at most one buffer each, as fast as the socket takes them. The
 * sessions are set up once, on the event loop, when the HELLOs are exchanged; writers never touch
 * them (they append to the zones' shared change logs). Each frame written tells
 * {@link DeliveryLag} since when its oldest record was owed.
 */
final class LinkOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(LinkOutbox.class);
    private static final byte[] EMPTY = new byte[0];

    private final LinkHost host;
    private final DeliveryLag delivery;
    private final Map<String, ZoneSession<?>> sessions = new LinkedHashMap<>();
    private int frameBudget;
    /** Written on the event loop only; read by status from any thread. */
    private volatile long bytesSent;

    LinkOutbox(LinkHost host, DeliveryLag delivery) {
        this.host = host;
        this.delivery = delivery;
    }

    /** The largest frame to send: our buffer size or the peer's maximum, whichever is smaller. */
    void frameBudget(int bytes) {
        frameBudget = bytes;
    }

    /**
     * Syncs this zone on the link, owing every change logged from now on; its snapshot, taken
     * after this by {@link #takeSnapshots}, carries the ones before.
     */
    <K> void addZone(ReplicatedZone<K> zone, ZoneSignature signature) {
        sessions.put(zone.name(), new ZoneSession<>(zone, signature, host.changes(zone).follow()));
    }

    /**
     * Copies every zone as of now, to stream to the peer, or, for a peer that takes deltas, lets
     * each zone wait for the peer's RESUME (11.6). Called once the link takes live changes: a write
     * before the copy is in it, one after it is queued, so none falls between. {@code ceiling} is
     * above every stamp this node had issued or seen before the call.
     */
    void takeSnapshots(boolean awaitResume, long now, long ceiling) {
        for (ZoneSession<?> s : sessions.values()) {
            if (awaitResume) {
                s.awaitingResume = true;
            } else {
                s.takeSnapshot(0, now, ceiling);
            }
        }
    }

    int frameBudget() {
        return frameBudget;
    }

    Collection<ZoneSession<?>> sessions() {
        return sessions.values();
    }

    /** A zone whose snapshot still waits for the peer's RESUME (11.6), or null. */
    String zoneAwaitingResume() {
        for (ZoneSession<?> s : sessions.values()) {
            if (s.awaitingResume) {
                return s.zone.name();
            }
        }
        return null;
    }

    ZoneSession<?> session(String zone) {
        return sessions.get(zone);
    }

    /** Owes no change logged from now on: what is logged so far is sent, then the link may quit. */
    void stopLogging() {
        for (ZoneSession<?> s : sessions.values()) {
            s.changes.stopHere();
        }
    }

    /**
     * Since when the oldest record this link owes and has not yet written to the socket is owed
     * (ms on the host's clock), or {@link Long#MAX_VALUE} when it owes nothing. Any thread.
     */
    long oldestOwedAt() {
        long oldest = Long.MAX_VALUE;
        for (ZoneSession<?> s : new ArrayList<>(sessions.values())) {
            oldest = Math.min(oldest, s.oldestOwedAt());
        }
        return oldest;
    }

    /** Per zone: records still owed to the peer. */
    Map<String, Long> backlog() {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, ZoneSession<?>> e : new ArrayList<>(sessions.entrySet())) {
            out.put(e.getKey(), e.getValue().backlog());
        }
        return out;
    }

    /** RECORDS bytes written to this link, frame headers included. */
    long bytesSent() {
        return bytesSent;
    }

    /** Records sent and received, all zones together. */
    long[] recordCounts() {
        long sent = 0;
        long received = 0;
        for (ZoneSession<?> s : new ArrayList<>(sessions.values())) {
            sent += s.recordsSent;
            received += s.recordsReceived;
        }
        return new long[] {sent, received};
    }

    /**
     * Lets go of the change logs and the snapshot copies (the link is gone; the next link's
     * snapshot covers what it owed). A closed link may still be referenced for a while (by its
     * dialer, for one), so nothing large may stay reachable from it.
     */
    void clear() {
        for (ZoneSession<?> s : sessions.values()) {
            s.close();
        }
    }

    /**
     * Writes frames while the channel is writable: live changes and the snapshot take turns frame
     * by frame, so neither starves the other. Never blocks, never writes past the water mark.
     */
    void fill(Channel channel, String peer) {
        boolean wrote = false;
        while (channel.isWritable()) {
            boolean progress = false;
            for (ZoneSession<?> s : sessions.values()) {
                if (s.hasPending() && channel.isWritable()) {
                    progress |= writeBatch(channel, s, Source.PENDING);
                }
            }
            if (channel.isWritable() && snapshotStep(channel, peer)) {
                progress = true;
            }
            if (channel.isWritable() && repairStep(channel, peer)) {
                progress = true;
            }
            if (!progress) {
                break;
            }
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    boolean snapshotsDone() {
        for (ZoneSession<?> s : sessions.values()) {
            if (!s.snapshotDone) {
                return false;
            }
        }
        return true;
    }

    /** Nothing pending, every snapshot complete, no repair under way. */
    boolean allSent() {
        for (ZoneSession<?> s : sessions.values()) {
            if (!s.idle()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts sending this node's records of the given buckets of a zone (the peer's digest differs
     * there, doc/protocol.md 11.5): they go out frame by frame after live changes and the snapshot.
     */
    void repair(ZoneSession<?> s, BitSet buckets) {
        Iterator<ZoneRecord> all = s.zone.snapshot();
        s.repairSent = 0;
        s.repairStartedAt = host.nowMillis();
        s.repair = new Iterator<>() {
            private ZoneRecord next = advance();

            private ZoneRecord advance() {
                while (all.hasNext()) {
                    ZoneRecord r = all.next();
                    if (r != null && buckets.get(ZoneDigest.bucketOf(r.key()))) {
                        return r;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public ZoneRecord next() {
                ZoneRecord r = next;
                next = advance();
                return r;
            }
        };
    }

    /** One frame of a repair; false when no repair has anything left. */
    private boolean repairStep(Channel channel, String peer) {
        for (ZoneSession<?> s : sessions.values()) {
            if (s.repair == null) {
                continue;
            }
            if (s.hasRepairLeft() && writeBatch(channel, s, Source.REPAIR)) {
                return true;
            }
            if (!s.hasRepairLeft()) {
                s.repair = null;
                LOG.info("zone_sync: sent {} records of zone \"{}\" to {} where their digests differed", s.repairSent,
                        s.zone.name(), peer);
                return true;
            }
        }
        return false;
    }

    /** One step of the snapshot; false when there is nothing left to snapshot. */
    private boolean snapshotStep(Channel channel, String peer) {
        for (ZoneSession<?> s : sessions.values()) {
            if (s.snapshotDone || s.awaitingResume) {
                continue;
            }
            if (!s.snapshotBegun) {
                s.snapshotBegun = true;
                s.snapshotBegunNanos = host.nanoTime();
                channel.write(new SnapshotBegin(s.signature));
            }
            if (s.hasSnapshotLeft()) {
                writeBatch(channel, s, Source.SNAPSHOT);
            } else {
                s.snapshotDone = true;
                s.releaseSnapshot(); // its copy of references: 4 MB for a million records, per link
                channel.write(new SnapshotEnd(s.signature, s.snapshotSent));
                if (s.deltaSince == 0) {
                    host.snapshotSent(s.zone.name(), host.nanoTime() - s.snapshotBegunNanos);
                    LOG.info("zone_sync: sent the snapshot of zone \"{}\" to {}: {} records", s.zone.name(), peer,
                            s.snapshotSent);
                } else if (s.answeredNone()) {
                    LOG.info("zone_sync: sent only the recent records of zone \"{}\" to {}: it asked for none,"
                            + " another peer teaches it: {} records", s.zone.name(), peer, s.snapshotSent);
                } else {
                    LOG.info("zone_sync: sent the changes of zone \"{}\" to {} since its last mark: {} records",
                            s.zone.name(), peer, s.snapshotSent);
                }
            }
            return true;
        }
        return false;
    }

    /** Where a frame's records come from. */
    private enum Source { PENDING, SNAPSHOT, REPAIR }

    /** Packs one frame of this zone from one source; true if a frame went out. */
    private <K> boolean writeBatch(Channel channel, ZoneSession<K> s, Source source) {
        ByteBuf buf = channel.alloc().buffer(frameBudget);
        RecordBatchWriter w = RecordBatchWriter.begin(buf, s.signature, frameBudget);
        long oldest = Long.MAX_VALUE;
        while (true) {
            ZoneRecord r;
            if (source == Source.PENDING) {
                if (!s.nextPending()) {
                    break;
                }
                r = s.pendingRecord();
            } else {
                r = source == Source.SNAPSHOT ? s.nextSnapshotRecord() : s.nextRepairRecord();
                if (r == null) {
                    break;
                }
            }
            if (r == null || r.ttlMs() == 0) {
                continue;
            }
            int needed = s.frameHeaderSize + RecordBatchWriter.recordSize(r.key().length, r.payload().length);
            if (needed > frameBudget) {
                LOG.error("zone_sync: record of zone \"{}\" with key {} needs {} bytes, more than one"
                        + " zone_sync_buffers buffer ({} bytes): not synced", s.zone.name(),
                        SyncRecord.printable(r.key()), needed, frameBudget);
                continue;
            }
            long ttl = !r.expires() ? Protocol.NO_EXPIRY : Math.min(r.ttlMs(), Protocol.MAX_TTL_MILLIS);
            int flags = r.tombstone() ? Protocol.FLAG_TOMBSTONE : 0;
            if (!w.tryAdd(r.key(), r.tombstone() ? EMPTY : r.payload(), r.stamp(), flags, ttl)) {
                switch (source) { // it goes first into the next frame
                    case PENDING -> s.putBackPending();
                    case SNAPSHOT -> s.putBack(r);
                    case REPAIR -> s.putBackRepair(r);
                }
                break;
            }
            switch (source) {
                case SNAPSHOT -> {
                    s.snapshotSent++;
                    oldest = Math.min(oldest, s.snapshotTakenAt);
                }
                case REPAIR -> {
                    s.repairSent++;
                    oldest = Math.min(oldest, s.repairStartedAt);
                }
                case PENDING -> oldest = Math.min(oldest, s.lastKeyQueuedAt);
            }
            s.recordsSent++;
        }
        int size = w.finish();
        if (size == 0) {
            buf.release();
            return false;
        }
        host.countFrame(false, size);
        bytesSent += size;
        delivery.written(oldest);
        channel.write(buf);
        return true;
    }
}
