package io.zonesync.sync.link;

import io.zonesync.zone.ReplicatedZone;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which peer teaches this node each zone no peer has yet sent it whole (doc/protocol.md 11.7). A
 * node that starts, or makes a zone anew, asks the first peer it links with for the whole zone and
 * every other peer it holds no mark of for none of it (they send only their recent records),
 * instead of taking the same records once from every peer; the digests repair what the teacher
 * lacked. When the teaching link closes before its snapshot ends, one of the others is asked for
 * the whole zone instead. Shared by the node's links; each zone copy is taught once.
 */
public final class Teachers {
    /** One copy of a zone and how far its teaching has got. */
    private static final class Lesson {
        final ReplicatedZone<?> zone;
        /** A whole snapshot (or a delta, 11.6) of this copy has arrived. */
        boolean taught;
        /** The link asked for the whole zone, its snapshot not ended yet; null when none is. */
        PeerLink teacher;
        /** The links asked for none of the zone, and whether their (empty) answer has ended. */
        final Map<PeerLink, Boolean> others = new LinkedHashMap<>();

        Lesson(ReplicatedZone<?> zone) {
            this.zone = zone;
        }
    }

    private final Map<String, Lesson> lessons = new HashMap<>();

    private Lesson lesson(ReplicatedZone<?> zone) {
        Lesson l = lessons.get(zone.name());
        if (l == null || l.zone != zone) {
            l = new Lesson(zone);
            lessons.put(zone.name(), l);
        }
        return l;
    }

    /**
     * Whether {@code link}, which holds no mark of its peer's zone, asks for none of it rather than
     * the whole: when {@code mayAskNothing} (the zone stamps every change and the digests run on
     * the link), unless no link has taught this copy or is teaching it, in which case this one
     * teaches it.
     */
    synchronized boolean asksNothing(PeerLink link, ReplicatedZone<?> zone, boolean mayAskNothing) {
        Lesson l = lesson(zone);
        if (l.taught) {
            return mayAskNothing;
        }
        if (l.teacher == null) {
            l.teacher = link;
            return false;
        }
        if (!mayAskNothing) {
            return false;
        }
        l.others.put(link, false);
        return true;
    }

    /**
     * A snapshot of {@code zone} from {@code link}'s peer ended. Any but the answer to an ask for
     * none teaches the copy (a peer that could not send none sent the whole zone, but the link
     * waits for its teacher all the same). True when {@code link} must now ask for the whole
     * zone: the teacher closed while this answer was on its way.
     */
    synchronized boolean snapshotEnded(PeerLink link, ReplicatedZone<?> zone) {
        Lesson l = lessons.get(zone.name());
        if (l == null || l.zone != zone || l.taught) {
            return false;
        }
        Boolean answered = l.others.get(link);
        if (answered == null) {
            // the teacher's, or a delta's
            l.taught = true;
            l.teacher = null;
            l.others.clear();
            return false;
        }
        if (answered) {
            return false;
        }
        if (l.teacher == null) {
            // the teacher closed first and no other answer had ended yet: this one teaches now
            l.others.remove(link);
            l.teacher = link;
            return true;
        }
        l.others.put(link, true);
        return false;
    }

    /** {@code link} closed: the zones it was teaching are asked whole of another link, or of the next one. */
    synchronized void linkClosed(PeerLink link) {
        for (Lesson l : lessons.values()) {
            l.others.remove(link);
            if (l.teacher != link || l.taught) {
                continue;
            }
            l.teacher = null;
            PeerLink next = null;
            for (Map.Entry<PeerLink, Boolean> e : l.others.entrySet()) {
                if (e.getValue()) {
                    next = e.getKey();
                    break;
                }
            }
            if (next != null) {
                l.others.remove(next);
                l.teacher = next;
                next.askWhole(l.zone);
            }
        }
    }

    /**
     * Whether this copy of the zone is being taught: its digests are neither sent nor answered
     * until it is, or every peer would find every bucket different and send all it holds.
     */
    synchronized boolean beingTaught(ReplicatedZone<?> zone) {
        Lesson l = lessons.get(zone.name());
        return l != null && l.zone == zone && !l.taught;
    }
}
