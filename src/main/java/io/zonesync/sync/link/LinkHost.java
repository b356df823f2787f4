package io.zonesync.sync.link;

import io.zonesync.sync.proto.Hello;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import java.util.Collection;

/** What a link needs from the cluster it belongs to. */
public interface LinkHost {

    /** The HELLO this node sends. */
    Hello localHello();

    /** The zones this node syncs, for the catalog comparison. */
    Collection<ReplicatedZone<?>> zones();

    /** Issues and observes stamps. */
    StampSource clock();

    /** Wall-clock milliseconds. */
    long nowMillis();

    /** A monotonic clock in nanoseconds, for round-trip times; tests may supply their own. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** The peer's HELLO arrived and passed the protocol's checks: decide whether this link lives. */
    HelloVerdict helloReceived(PeerLink link, Hello peer);

    /** The link is online (SNAPSHOTTING); live changes may be queued to it. */
    void linkOnline(PeerLink link);

    /** The link is gone. */
    void linkClosed(PeerLink link);

    /**
     * The peer said GOODBYE REMOVED or ABORT UNTRUSTED ({@code why}, in words): it refuses this
     * node, so stop dialling it until our configuration changes.
     */
    void refusedByPeer(PeerLink link, String why);

    /** True the first time a clash of this zone with this peer is reported: it is logged once, not per reconnect. */
    boolean firstClash(long peerNodeId, String zone);

    /** The log of a zone's local changes, shared by the links that sync it. */
    <K> ChangeLog<K> changes(ReplicatedZone<K> zone);

    /** The digests of this node's zones, shared by its links (doc/protocol.md 11.5). */
    ZoneDigests digests();

    /** This node's zone epochs and the marks its peers sent it, shared by its links (doc/protocol.md 11.6). */
    ResumeMarks resumeMarks();

    /** Which peer teaches this node each zone not yet sent to it whole, shared by its links (doc/protocol.md 11.7). */
    Teachers teachers();

    /** Counts one RECORDS frame in or out. */
    void countFrame(boolean inbound, int bytes);

    /** This node's snapshot of a zone went out whole to a peer, SNAPSHOT_BEGIN to SNAPSHOT_END, in this time. */
    void snapshotSent(String zone, long nanos);

    /** A peer's snapshot of a zone synced on the link arrived whole, SNAPSHOT_BEGIN to SNAPSHOT_END, in this time. */
    void snapshotReceived(String zone, long nanos);

    /** What becomes of a link once the peer's HELLO is known. */
    enum HelloVerdict {
        ACCEPT,
        SELF,
        DUPLICATE,
        /** A node this one does not list (or removed from its list): told GOODBYE REMOVED, and closed. */
        REMOVED,
        /** A node whose certificate failed this node's zone_sync_ssl_verify checks: ABORT UNTRUSTED, and closed. */
        UNTRUSTED
    }
}
