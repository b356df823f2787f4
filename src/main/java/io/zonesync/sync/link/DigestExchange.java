package io.zonesync.sync.link;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonesync.sync.proto.Digest;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link's part in anti-entropy (doc/protocol.md 11.5): every {@code zone_sync_digest_interval}
 * a one-hash summary of each compared zone; a summary that differs is answered with bucket hashes,
 * and this node's records in the buckets that differ are queued on the link. A zone a peer is still
 * teaching this node (11.7) is left out both ways. Runs on the link's event loop.
 */
final class DigestExchange {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    /**
     * Records stamped this recently are left out of digests: they may still be on their way, and
     * would make two nodes that agree look different.
     */
    static final long GRACE_MS = 5000;

    private final PeerLink link;
    private final LinkHost host;
    private final LinkOutbox outbox;
    private final long intervalMs;
    private ScheduledFuture<?> timer;

    DigestExchange(PeerLink link, LinkHost host, LinkOutbox outbox, long intervalMs) {
        this.link = link;
        this.host = host;
        this.outbox = outbox;
        this.intervalMs = intervalMs;
    }

    /** Starts the rounds once the link is live, if digests are on here and the peer takes them. */
    void start(Channel channel, boolean peerTakesDigests) {
        if (intervalMs <= 0 || timer != null || !peerTakesDigests) {
            return;
        }
        long first = intervalMs + ThreadLocalRandom.current().nextLong(Math.max(1, intervalMs / 4));
        timer = channel.eventLoop().scheduleAtFixedRate(() -> round(channel), first, intervalMs, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * This node's turn: a one-hash summary of every compared zone that owes the peer nothing. The
     * cutoff falls on a grid of the interval, so every link of the round reads the same digest.
     */
    private void round(Channel channel) {
        if (link.state() != LinkState.LIVE || link.isQuitting()) {
            return;
        }
        long cutoff = cutoff(host.nowMillis(), intervalMs);
        for (ZoneSession<?> s : outbox.sessions()) {
            if (s.zone.reconciled() && s.idle() && !host.teachers().beingTaught(s.zone)) {
                host.digests().request(s.zone, cutoff, channel.eventLoop(), mine -> {
                    if (link.state().online()) {
                        channel.writeAndFlush(new Digest(s.signature, cutoff, 0, 0, new long[] {mine.summary()}));
                    }
                });
            }
        }
    }

    /** The newest cutoff on the interval's grid that leaves out the last {@link #GRACE_MS}. */
    static long cutoff(long nowMillis, long intervalMs) {
        long c = nowMillis - GRACE_MS;
        return c - Math.floorMod(c, intervalMs);
    }

    /**
     * A peer's digest: a summary that differs from ours at its cutoff is answered with our bucket
     * hashes, unless this link still owes the peer the zone (changes, the snapshot, a repair);
     * bucket hashes are compared with ours, and our records in the buckets that differ are
     * sent once the last frame of them has arrived. False when the frame does not apply here.
     */
    boolean received(Channel channel, Digest m) {
        ZoneSession<?> s = outbox.session(m.zone().name());
        if (!link.state().online() || s == null || !s.signature.matches(m.zone()) || !s.zone.reconciled()
                || (!m.summary() && m.bucketBits() != ZoneDigest.BUCKET_BITS)) {
            return false;
        }
        if (m.summary() && (!s.idle() || host.teachers().beingTaught(s.zone))) {
            // What this link still owes the peer, or what a peer still has to teach this node,
            // makes the zones differ anyway, and the answer would have the peer send back what it
            // holds of every bucket: the peer asks again.
            return true;
        }
        host.digests().request(s.zone, m.cutoff(), channel.eventLoop(), mine -> {
            if (!link.state().online()) {
                return;
            }
            if (m.summary()) {
                if (mine.summary() != m.hashes()[0]) {
                    sendBuckets(channel, s, mine);
                } else {
                    s.digestsAgreed(m.cutoff());
                }
            } else {
                compareBuckets(s, m, mine);
            }
        });
        return true;
    }

    private void sendBuckets(Channel channel, ZoneSession<?> s, ZoneDigest mine) {
        int per = Digest.hashesPerFrame(s.signature, outbox.frameBudget());
        for (int first = 0; first < ZoneDigest.BUCKETS; first += per) {
            long[] hashes = new long[Math.min(per, ZoneDigest.BUCKETS - first)];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = mine.bucket(first + i);
            }
            channel.write(new Digest(s.signature, mine.cutoff, ZoneDigest.BUCKET_BITS, first, hashes));
        }
        channel.flush();
    }

    private void compareBuckets(ZoneSession<?> s, Digest m, ZoneDigest mine) {
        if (m.first() == 0) {
            s.differing = new BitSet(ZoneDigest.BUCKETS);
        }
        if (s.differing == null) {
            return; // the first frame of this comparison went to a link state we no longer have
        }
        for (int i = 0; i < m.hashes().length; i++) {
            if (m.hashes()[i] != mine.bucket(m.first() + i)) {
                s.differing.set(m.first() + i);
            }
        }
        if (m.first() + m.hashes().length < ZoneDigest.BUCKETS) {
            return;
        }
        BitSet differing = s.differing;
        s.differing = null;
        if (differing.isEmpty() || s.repair != null) {
            return; // the same, or a repair still under way: the next round sees what is left
        }
        LOG.info("zone_sync: zone \"{}\" differs from {} in {} of {} buckets: sending this node's records in them",
                s.zone.name(), link.peerAddress(), differing.cardinality(), ZoneDigest.BUCKETS);
        outbox.repair(s, differing);
        link.fill();
    }
}
