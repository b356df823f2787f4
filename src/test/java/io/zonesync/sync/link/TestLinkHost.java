package io.zonesync.sync.link;

import io.zonesync.sync.proto.Hello;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster side of links under test on EmbeddedChannels: one zone, a wall clock and a stamp
 * clock the test moves, node id 0x1111, and the node-wide parts links share (marks, teachers).
 */
final class TestLinkHost implements LinkHost {
    /** A moment to start from: 2026-01-01T00:00:00Z. */
    static final long T0 = 1_767_225_600_000L;

    long wall = T0 + 10_000;
    long hlc = Stamp.hlc(T0 + 10_000, 0);
    final RecordsZone zone;
    final ResumeMarks marks;
    final Teachers teachers = new Teachers();
    /** Snapshots the links counted as whole ones received. */
    int wholeSnapshotsReceived;

    TestLinkHost(RecordsZone zone, ResumeMarks marks) {
        this.zone = zone;
        this.marks = marks;
    }

    @Override
    public Hello localHello() {
        return Hello.of(0x1111L, wall, 65_536, 30_000, "127.0.0.1:9000", PeerLink.catalog(zones()));
    }

    @Override
    public Collection<ReplicatedZone<?>> zones() {
        return List.of(zone);
    }

    final Map<String, ChangeLog<?>> logs = new HashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K> ChangeLog<K> changes(ReplicatedZone<K> zone) {
        return (ChangeLog<K>) logs.computeIfAbsent(zone.name(), n -> new ChangeLog<>());
    }

    @Override
    public StampSource clock() {
        return new StampSource() {
            @Override
            public Stamp next() {
                return new Stamp(++hlc, 0x1111L);
            }

            @Override
            public void observe(Stamp remote) {
            }
        };
    }

    @Override
    public long nowMillis() {
        return wall;
    }

    @Override
    public HelloVerdict helloReceived(PeerLink link, Hello peer) {
        return HelloVerdict.ACCEPT;
    }

    @Override
    public void linkOnline(PeerLink link) {
    }

    @Override
    public void linkClosed(PeerLink link) {
    }

    @Override
    public void refusedByPeer(PeerLink link, String why) {
    }

    @Override
    public boolean firstClash(long peerNodeId, String zone) {
        return true;
    }

    @Override
    public ZoneDigests digests() {
        return new ZoneDigests();
    }

    @Override
    public ResumeMarks resumeMarks() {
        return marks;
    }

    @Override
    public Teachers teachers() {
        return teachers;
    }

    @Override
    public void countFrame(boolean inbound, int bytes) {
    }

    @Override
    public void snapshotSent(String zone, long nanos) {
    }

    @Override
    public void snapshotReceived(String zone, long nanos) {
        wholeSnapshotsReceived++;
    }
}
