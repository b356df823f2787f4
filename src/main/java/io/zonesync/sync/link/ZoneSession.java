package io.zonesync.sync.link;

import io.zonesync.sync.proto.RecordBatchWriter;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.ZoneRecord;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/**
 * What one link owes one zone: the keys changed locally and not yet sent (its cursor in the zone's
 * shared {@link ChangeLog}), and how far this node's snapshot of the zone has got, with when each
 * of these became owed (for the link's replication lag). Writers never touch it: they append to
 * the log.
 */
final class ZoneSession<K> {
    /** Owed keys taken from the log at a time: about one frame's worth of small records. */
    static final int PENDING_BATCH = 64;

    final ReplicatedZone<K> zone;
    final ZoneSignature signature;
    /** This link's place in the zone's log of local changes. */
    final ChangeLog<K>.Cursor changes;
    /** Bytes of a RECORDS frame of this zone before its first record, computed once (it encodes the name). */
    final int frameHeaderSize;
    /**
     * Null until taken (at once, or, delta resync 11.6, when the peer's RESUME says what it holds),
     * and again once sent or the link closed: it holds the zone's copy of references.
     */
    Iterator<ZoneRecord> snapshot;
    /** The peer takes deltas and its RESUME for this zone has not come yet: the snapshot waits. */
    boolean awaitingResume;
    /**
     * The peer's RESUME asked for none of the zone (11.7): once the answer is out, it may ask once
     * more, for all of it.
     */
    boolean mayAskAgain;
    /** The snapshot being sent holds only the records stamped above this hlc (0: the whole zone). */
    long deltaSince;
    /**
     * The peer asked for none of the zone (11.7), and was sent only its recent records: until a
     * digest shows it holds the rest, this link asserts no mark.
     */
    private boolean answeredNone;
    /**
     * Candidate marks (11.6), oldest first: {when, hlc} pairs, an hlc above every stamp this node
     * had issued or seen at that moment.
     */
    final ArrayDeque<long[]> markCandidates = new ArrayDeque<>();
    /** The ceiling read before the snapshot was taken (11.6). */
    long snapshotCeiling;
    /**
     * The peer asked for none of the zone (11.7), and since then its digest summary matched ours at
     * a cutoff past every stamp we held then: it holds what our snapshot would have given it, so
     * this link may assert marks.
     */
    boolean agreedSinceNothing;
    /** The last MARK sent on this link (0: none). */
    long markSent;
    /** A MARK of the peer's was merged on this link. */
    boolean markReceived;
    /** When the snapshot was taken (ms on the host's clock): what it carries is owed since then. */
    volatile long snapshotTakenAt = Long.MAX_VALUE;
    /** When SNAPSHOT_BEGIN went out, on the host's monotonic clock, for the snapshot's duration. */
    long snapshotBegunNanos;
    boolean snapshotBegun;
    volatile boolean snapshotDone;
    long snapshotSent;
    long recordsSent;
    long recordsReceived;
    /** This node's records in the buckets a peer's digest showed different, being sent (11.5). */
    volatile Iterator<ZoneRecord> repair;
    /** When the repair under way began (ms on the host's clock): its records are owed since then. */
    volatile long repairStartedAt = Long.MAX_VALUE;
    long repairSent;
    /** The buckets found different so far in the digest frames of one comparison. */
    BitSet differing;
    /**
     * Owed keys taken from the log a batch at a time ({@link #PENDING_BATCH}), so that the log's lock
     * and the zone's are taken once per batch, not once per key, against writers on other threads:
     * {@code [pendingAt, pendingEnd)} are still to send, with the times they were appended; the
     * records of {@code [pendingAt, exportedEnd)} are read already.
     */
    private final K[] pendingKeys;
    private final long[] pendingTimes = new long[PENDING_BATCH];
    private final ZoneRecord[] pendingRecords = new ZoneRecord[PENDING_BATCH];
    private final List<K> pendingKeyList;
    private int pendingAt;
    private int pendingEnd;
    private int exportedEnd;
    /** When the oldest key of the batch was appended while any of the batch is unsent, else MAX_VALUE. */
    private volatile long batchOwedAt = Long.MAX_VALUE;
    /** When the key {@link #nextPending} moved to was first queued. */
    long lastKeyQueuedAt;
    private ZoneRecord carrySnapshot;
    private ZoneRecord carryRepair;

    ZoneSession(ReplicatedZone<K> zone, ZoneSignature signature, ChangeLog<K>.Cursor changes) {
        this.zone = zone;
        this.changes = changes;
        this.signature = signature;
        this.frameHeaderSize = RecordBatchWriter.headerSize(signature);
        @SuppressWarnings("unchecked")
        K[] keys = (K[]) new Object[PENDING_BATCH];
        this.pendingKeys = keys;
        this.pendingKeyList = Arrays.asList(keys);
    }

    /**
     * Moves to the next owed key, taking a batch from the log when the last one is sent and reading
     * the batch's records from the zone together; false when nothing is owed.
     */
    boolean nextPending() {
        if (pendingAt == pendingEnd) {
            batchOwedAt = Long.MAX_VALUE;
            Arrays.fill(pendingKeys, 0, pendingEnd, null);
            pendingAt = 0;
            exportedEnd = 0;
            pendingEnd = changes.poll(pendingKeys, pendingTimes);
            if (pendingEnd == 0) {
                return false;
            }
            batchOwedAt = pendingTimes[0];
        }
        if (pendingAt == exportedEnd) {
            zone.exportAll(pendingKeyList, pendingAt, pendingEnd, pendingRecords);
            exportedEnd = pendingEnd;
        }
        lastKeyQueuedAt = pendingTimes[pendingAt++];
        return true;
    }

    /** The record of the key {@link #nextPending} moved to: what to send, or null if there is nothing to send. */
    ZoneRecord pendingRecord() {
        ZoneRecord r = pendingRecords[pendingAt - 1];
        pendingRecords[pendingAt - 1] = null;
        return r;
    }

    /** The key {@link #nextPending} moved to did not fit the frame being packed: it is the first of the next one. */
    void putBackPending() {
        pendingAt--;
        exportedEnd = pendingAt; // read again when it is sent: its lifetime counts from then
        Arrays.fill(pendingRecords, pendingAt, pendingEnd, null);
    }

    ZoneRecord nextSnapshotRecord() {
        ZoneRecord r = carrySnapshot;
        if (r != null) {
            carrySnapshot = null;
            return r;
        }
        return snapshot != null && snapshot.hasNext() ? snapshot.next() : null;
    }

    ZoneRecord nextRepairRecord() {
        ZoneRecord r = carryRepair;
        if (r != null) {
            carryRepair = null;
            return r;
        }
        return repair != null && repair.hasNext() ? repair.next() : null;
    }

    void putBackRepair(ZoneRecord record) {
        carryRepair = record;
    }

    boolean hasRepairLeft() {
        return carryRepair != null || (repair != null && repair.hasNext());
    }

    /** Lets go of the snapshot's copy of references (a million of them for a million records): it is sent. */
    void releaseSnapshot() {
        snapshot = null;
        carrySnapshot = null;
    }

    /** The link closed: gives up its cursor in the change log and the copies its snapshot and repair walk. */
    void close() {
        changes.close();
        releaseSnapshot();
        repair = null;
        carryRepair = null;
    }

    /** Nothing owed to the peer: no pending key, the snapshot sent, no repair under way. */
    boolean idle() {
        return !hasPending() && snapshotDone && !hasRepairLeft();
    }

    /** The same for a snapshot record. */
    void putBack(ZoneRecord record) {
        carrySnapshot = record;
    }

    boolean hasPending() {
        return pendingAt < pendingEnd || changes.backlog() > 0;
    }

    boolean hasSnapshotLeft() {
        return carrySnapshot != null || (snapshot != null && snapshot.hasNext());
    }

    /**
     * Takes the records to send as this zone's snapshot: all of them, or those stamped above
     * {@code since}. {@code ceiling}, read before the copy, becomes the first candidate mark.
     */
    void takeSnapshot(long since, long now, long ceiling) {
        awaitingResume = false;
        deltaSince = since;
        snapshot = since == 0 ? zone.snapshot() : zone.changedSince(since);
        snapshotTakenAt = now;
        snapshotCeiling = ceiling;
        markCandidates.addLast(new long[] {now, ceiling});
    }

    /**
     * The peer asked for none of the zone (11.7): only the records stamped above {@code since}, the
     * ones the digests may not have compared yet, go out now; the digests bring it the rest.
     */
    void takeRecent(long since, long now, long ceiling) {
        takeSnapshot(since, now, ceiling);
        answeredNone = true;
    }

    /** The peer's digest summary at this cutoff (ms) equals ours. */
    void digestsAgreed(long cutoffMillis) {
        if (answeredNone && cutoffMillis >= snapshotCeiling >>> 16) {
            agreedSinceNothing = true;
        }
    }

    /** The peer asked for none of the zone and was sent only its recent records (11.7). */
    boolean answeredNone() {
        return answeredNone;
    }

    /**
     * The peer, sent only recent records, now asks for all of the zone (its teacher was lost): a second
     * snapshot, whole, sent as the first was.
     */
    void retakeWhole(long now, long ceiling) {
        mayAskAgain = false;
        answeredNone = false;
        snapshotBegun = false;
        snapshotSent = 0;
        markCandidates.clear();
        takeSnapshot(0, now, ceiling);
        snapshotDone = false;
    }

    /**
     * The mark this link may now assert (11.6): the newest candidate read at least {@code graceMs}
     * ago, when nothing is owed (every local write stamped at or below it was queued within the
     * grace, and the queue has since been sent); 0 when there is none, or it is not above the last
     * sent. Older candidates are dropped; {@code now} and {@code ceiling} join as the newest.
     */
    long markToSend(long now, long ceiling, long graceMs) {
        if (snapshotTakenAt == Long.MAX_VALUE || (answeredNone && !agreedSinceNothing)) {
            return 0; // sent none of the zone: nothing is known of what the peer holds, until a digest says
        }
        long[] usable = null;
        while (!markCandidates.isEmpty() && markCandidates.peekFirst()[0] <= now - graceMs) {
            usable = markCandidates.pollFirst();
        }
        if (usable != null) {
            markCandidates.addFirst(usable);
        }
        markCandidates.addLast(new long[] {now, ceiling});
        if (usable == null || !idle() || Long.compareUnsigned(usable[1], markSent) <= 0) {
            return 0;
        }
        markSent = usable[1];
        return usable[1];
    }

    /**
     * Since when the oldest of what this zone still owes the peer and has not written to the
     * socket is owed (ms on the host's clock): a pending key's first change, the snapshot's taking,
     * a repair's start; {@link Long#MAX_VALUE} when nothing is owed. Read from any thread.
     */
    long oldestOwedAt() {
        long oldest = Math.min(batchOwedAt, changes.oldestAt());
        if (!snapshotDone) {
            oldest = Math.min(oldest, snapshotTakenAt);
        }
        if (repair != null) {
            oldest = Math.min(oldest, repairStartedAt);
        }
        return oldest;
    }

    /** Records still to send to this peer: logged changes plus what the snapshot has not reached yet. */
    long backlog() {
        long left = snapshotDone || deltaSince != 0 ? 0 : Math.max(0, zone.recordCount() - snapshotSent);
        return changes.backlog() + (pendingEnd - pendingAt) + left;
    }
}
