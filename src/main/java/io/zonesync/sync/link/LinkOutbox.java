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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one link owes its peer, zone by zone, and how it is packed: pending keys and the snapshot,
 * encoded into RECORDS frames of at most one buffer each, as fast as the socket takes them. The
 * sessions are set up once, on the event loop, when the HELLOs are exchanged; writers only touch
 * the pending key sets.
 */
final class LinkOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(LinkOutbox.class);
    private static final byte[] EMPTY = new byte[0];

    private final LinkHost host;
    private final Map<String, ZoneSession<?>> sessions = new LinkedHashMap<>();
    private int frameBudget;

    LinkOutbox(LinkHost host) {
        this.host = host;
    }

    /** The largest frame to send: our buffer size or the peer's maximum, whichever is smaller. */
    void frameBudget(int bytes) {
        frameBudget = bytes;
    }

    /** Syncs this zone on the link; its snapshot is taken by {@link #takeSnapshots}. */
    <K> void addZone(ReplicatedZone<K> zone, ZoneSignature signature) {
        sessions.put(zone.name(), new ZoneSession<>(zone, signature));
    }

    /**
     * Copies every zone as of now, to stream to the peer. Called once the link takes live changes:
     * a write before this call is in the copy, one after it is queued, so none falls between.
     */
    void takeSnapshots() {
        for (ZoneSession<?> s : sessions.values()) {
            s.snapshot = s.zone.snapshot();
        }
    }

    ZoneSession<?> session(String zone) {
        return sessions.get(zone);
    }

    /** Queues a locally changed key; false if the zone is not synced on this link. */
    boolean enqueue(String zone, Object key) {
        ZoneSession<?> s = sessions.get(zone);
        if (s == null) {
            return false;
        }
        s.enqueue(key);
        return true;
    }

    /** Per zone: records still owed to the peer. */
    Map<String, Long> backlog() {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, ZoneSession<?>> e : new ArrayList<>(sessions.entrySet())) {
            out.put(e.getKey(), e.getValue().backlog());
        }
        return out;
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

    /** Drops what is pending (the link is gone; the next link's snapshot covers it). */
    void clear() {
        for (ZoneSession<?> s : sessions.values()) {
            s.pending.clear();
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
                    progress |= writeBatch(channel, s, false);
                }
            }
            if (channel.isWritable() && snapshotStep(channel, peer)) {
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

    /** Nothing pending and every snapshot complete: a link that replaced another may still owe one. */
    boolean allSent() {
        for (ZoneSession<?> s : sessions.values()) {
            if (s.hasPending() || !s.snapshotDone) {
                return false;
            }
        }
        return true;
    }

    /** One step of the snapshot; false when there is nothing left to snapshot. */
    private boolean snapshotStep(Channel channel, String peer) {
        for (ZoneSession<?> s : sessions.values()) {
            if (s.snapshotDone) {
                continue;
            }
            if (!s.snapshotBegun) {
                s.snapshotBegun = true;
                channel.write(new SnapshotBegin(s.signature));
            }
            if (s.hasSnapshotLeft()) {
                writeBatch(channel, s, true);
            } else {
                s.snapshotDone = true;
                channel.write(new SnapshotEnd(s.signature, s.snapshotSent));
                LOG.info("zone_sync: sent the snapshot of zone \"{}\" to {}: {} records", s.zone.name(), peer,
                        s.snapshotSent);
            }
            return true;
        }
        return false;
    }

    /** Packs one frame of this zone from its pending keys or its snapshot; true if a frame went out. */
    private <K> boolean writeBatch(Channel channel, ZoneSession<K> s, boolean fromSnapshot) {
        ByteBuf buf = channel.alloc().buffer(frameBudget);
        RecordBatchWriter w = RecordBatchWriter.begin(buf, s.signature, frameBudget);
        while (true) {
            K key = null;
            ZoneRecord r;
            if (fromSnapshot) {
                r = s.nextSnapshotRecord();
                if (r == null) {
                    break;
                }
            } else {
                key = s.nextPendingKey();
                if (key == null) {
                    break;
                }
                r = s.zone.export(key);
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
                if (fromSnapshot) { // it goes first into the next frame
                    s.putBack(r);
                } else {
                    s.putBack(key);
                }
                break;
            }
            if (fromSnapshot) {
                s.snapshotSent++;
            }
            s.recordsSent++;
        }
        int size = w.finish();
        if (size == 0) {
            buf.release();
            return false;
        }
        host.countFrame(false, size);
        channel.write(buf);
        return true;
    }
}
