package io.zonesync.http.sticky;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.UseOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of a {@code sticky learn} zone: MD5 of the session id to the server id it is bound
 * to, the last time it was used (wall-clock ms, comparable across nodes) and the stamp of the
 * binding. A session unused for the timeout is gone; when the zone is full the least recently used
 * session makes room, as nginx does when its slab allocator fails.
 *
 * <p>The capacity models nginx's shared memory: a session node takes a 256-byte slab, and the
 * zone's first page holds the allocator, so 1 MB holds about 4000 sessions and the 32 KB minimum
 * about 100.
 *
 * <p>Thread-safe. Local changes (create, re-bind, refresh) are reported to listeners after the
 * lock is released; {@link #merge} (a peer's record) never reports.
 */
public final class SessionZone {
    private static final Logger LOG = LoggerFactory.getLogger(SessionZone.class);
    static final int BYTES_PER_SESSION = 256;
    static final int RESERVED_BYTES = 4096;

    private final String name;
    private final String upstream;
    private final long sizeBytes;
    private final int capacity;
    private final long timeoutMs;
    private final boolean sync;
    private final Clock clock;
    private final StampSource stamps;
    private final Map<SessionKey, Session> sessions = new HashMap<>();
    /**
     * The sessions by last use, then by the order of their last change, oldest first. A local use
     * is the newest, so it moves to the end in constant time; a peer's older last use walks back
     * from the end to its place. (A tree set did the same in log time and was the costliest step of
     * a proxied request.)
     */
    private final UseOrder<Session> byUse = new UseOrder<>();
    private final List<Consumer<SessionKey>> listeners = new CopyOnWriteArrayList<>();

    private static final class Session extends UseOrder.Entry<Session> {
        final SessionKey key;
        String sid;
        long last;
        Stamp stamp;

        Session(SessionKey key, String sid, Stamp stamp) {
            this.key = key;
            this.sid = sid;
            this.stamp = stamp;
        }
    }

    /** A session as the sync engine exports it. */
    public record Snapshot(String sid, long idleMs, Stamp stamp) {
    }

    public SessionZone(String name, String upstream, long sizeBytes, long timeoutMs, boolean sync, Clock clock,
            StampSource stamps) {
        this.name = name;
        this.upstream = upstream;
        this.sizeBytes = sizeBytes;
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (sizeBytes - RESERVED_BYTES) / BYTES_PER_SESSION));
        this.timeoutMs = timeoutMs;
        this.sync = sync;
        this.clock = clock;
        this.stamps = stamps;
    }

    public String name() {
        return name;
    }

    /** The upstream that uses the zone. */
    public String upstream() {
        return upstream;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public int capacity() {
        return capacity;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public boolean sync() {
        return sync;
    }

    public void addListener(Consumer<SessionKey> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<SessionKey> l) {
        listeners.remove(l);
    }

    /** The server id the session is bound to, or null when there is no such live session. */
    public synchronized String lookup(String sessionId) {
        Session s = live(SessionKey.of(sessionId), clock.millis());
        return s == null ? null : s.sid;
    }

    /**
     * A request on the session was served by {@code sid}: the session is refreshed, re-bound if it
     * was bound elsewhere, or (when {@code create}) made.
     */
    public void learn(String sessionId, String sid, boolean create) {
        SessionKey key = SessionKey.of(sessionId);
        synchronized (this) {
            long now = clock.millis();
            Session s = live(key, now);
            if (s != null) {
                if (!s.sid.equals(sid)) {
                    LOG.debug("sticky: session \"{}\" re-bound from \"{}\" to \"{}\"", sessionId, s.sid, sid);
                    s.sid = sid;
                    s.stamp = stamps.next();
                }
                touch(s, now);
            } else if (create) {
                insert(new Session(key, sid, stamps.next()), now);
            } else {
                return;
            }
        }
        for (Consumer<SessionKey> l : listeners) {
            l.accept(key);
        }
    }

    /** Removes the sessions whose timeout has passed. */
    public synchronized void expire() {
        long now = clock.millis();
        while (byUse.oldest() != null && byUse.oldest().last + timeoutMs <= now) {
            Session s = byUse.oldest();
            unlink(s);
            sessions.remove(s.key);
        }
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** Bytes of the zone as its capacity models them: the allocator's first page and a slab per session. */
    public synchronized long usedBytes() {
        return RESERVED_BYTES + (long) sessions.size() * BYTES_PER_SESSION;
    }

    /** The keys now held; a copy, so a snapshot can walk it while the zone changes. */
    public synchronized Iterator<SessionKey> keys() {
        return new ArrayList<>(sessions.keySet()).iterator();
    }

    /** The session's state for a peer, or null when it is gone or expired. */
    public synchronized Snapshot export(SessionKey key) {
        long now = clock.millis();
        Session s = live(key, now);
        return s == null ? null : new Snapshot(s.sid, now - s.last, s.stamp);
    }

    /** The time a session of this idle time has left, in ms. */
    public long remainingMs(long idleMs) {
        return Math.max(0, timeoutMs - idleMs);
    }

    /**
     * A peer's record (doc/protocol.md 7): the binding by last writer wins, the last use by
     * maximum, whichever binding won. True if anything changed.
     */
    public synchronized boolean merge(SessionKey key, String sid, long idleMs, Stamp stamp) {
        long now = clock.millis();
        long last = now - Math.max(0, idleMs);
        if (last + timeoutMs <= now) {
            return false;
        }
        Session s = live(key, now);
        if (s == null) {
            insert(new Session(key, sid, stamp), last);
            return true;
        }
        boolean changed = false;
        if (stamp.isNewerThan(s.stamp)) {
            s.sid = sid;
            s.stamp = stamp;
            changed = true;
        }
        if (last > s.last) {
            touch(s, last);
            changed = true;
        }
        return changed;
    }

    private Session live(SessionKey key, long now) {
        Session s = sessions.get(key);
        if (s != null && s.last + timeoutMs <= now) {
            unlink(s);
            sessions.remove(key);
            return null;
        }
        return s;
    }

    private void insert(Session s, long last) {
        if (sessions.size() >= capacity) {
            LOG.warn("could not allocate node in sticky session zone \"{}\", expiring least recently used session",
                    name);
            Session lru = byUse.oldest();
            if (lru != null) {
                unlink(lru);
                sessions.remove(lru.key);
            }
        }
        s.last = last;
        sessions.put(s.key, s);
        link(s);
    }

    private void touch(Session s, long last) {
        unlink(s);
        s.last = last;
        link(s);
    }

    /** Puts {@code s} (the latest change) after every session used at or before its last use. */
    private void link(Session s) {
        Session before = byUse.newest();
        while (before != null && before.last > s.last) {
            before = byUse.older(before);
        }
        byUse.insertAfter(before, s);
    }

    private void unlink(Session s) {
        byUse.remove(s);
    }
}
