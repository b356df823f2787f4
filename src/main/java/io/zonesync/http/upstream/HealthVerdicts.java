package io.zonesync.http.upstream;

import io.zonesync.zone.ExportingIterator;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import io.zonesync.zone.ZoneType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health check verdicts of an upstream {@code zone ... sync}, shared over zone_sync
 * (doc/protocol.md 5.4): for each server (upstream name and address) the latest verdict, up or
 * unhealthy, with its stamp; the newest stamp wins. A node's own check publishes a verdict when
 * its outcome differs from the verdict in force; a verdict from a peer that wins is handed to the
 * zone's group, which moves the server as its own check would. Thread-safe: its own lock guards
 * the verdicts, and nothing is called out of it while the lock is held.
 */
public final class HealthVerdicts implements ReplicatedZone<HealthVerdicts.Key> {
    /** Wire tag 5 (upstream health), codec version 1 (doc/protocol.md 5.4). */
    public static final ZoneType TYPE = new ZoneType("upstream_health", 5, 1);
    /** How many servers' verdicts a zone keeps at most; a peer's verdict for one more is dropped. */
    static final int MAX_VERDICTS = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(HealthVerdicts.class);
    private static final byte UP = 0;
    private static final byte UNHEALTHY = 1;

    /** One server of one upstream of the zone: the record's key. */
    public record Key(String upstream, String address) {
        byte[] bytes() {
            byte[] u = upstream.getBytes(StandardCharsets.UTF_8);
            byte[] a = address.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[1 + u.length + a.length];
            out[0] = (byte) u.length;
            System.arraycopy(u, 0, out, 1, u.length);
            System.arraycopy(a, 0, out, 1 + u.length, a.length);
            return out;
        }

        /** The key a record carries, or null when malformed. */
        static Key of(byte[] b) {
            if (b.length < 3) {
                return null;
            }
            int u = b[0] & 0xFF;
            if (u == 0 || 1 + u >= b.length) {
                return null;
            }
            return new Key(new String(b, 1, u, StandardCharsets.UTF_8),
                    new String(b, 1 + u, b.length - 1 - u, StandardCharsets.UTF_8));
        }
    }

    /** A verdict: whether the server was found unhealthy, and when and by which node (the stamp). */
    public record Verdict(boolean unhealthy, Stamp stamp) {
    }

    /** Where verdicts from peers go: the zone's group of that upstream, if it has one. */
    @FunctionalInterface
    interface Target {
        void decided(Key key, Verdict verdict);
    }

    private final String name;
    private final StampSource stamps;
    private final Target target;
    private final Map<Key, Verdict> verdicts = new HashMap<>();
    private volatile boolean synced;
    private volatile ChangeListener<Key> listener;
    private boolean overflowLogged;

    HealthVerdicts(String name, StampSource stamps, Target target) {
        this.name = name;
        this.stamps = stamps;
        this.target = target;
    }

    /** Whether the zone is {@code sync}: only then do local checks publish verdicts. */
    void setSynced(boolean on) {
        synced = on;
    }

    boolean synced() {
        return synced;
    }

    /**
     * A local check left the server {@code unhealthy} or not: a new verdict, stamped now, when that
     * differs from the verdict in force (or there is none). Returns its key, which the caller
     * {@link #tell}s once it holds no lock, or null when there is nothing new.
     */
    Key checked(String upstream, String address, boolean unhealthy) {
        if (!synced) {
            return null;
        }
        Key key = new Key(upstream, address);
        synchronized (this) {
            Verdict now = verdicts.get(key);
            if (now != null && now.unhealthy() == unhealthy) {
                return null;
            }
            verdicts.put(key, new Verdict(unhealthy, stamps.next()));
        }
        return key;
    }

    /** Tells the peers of a local verdict ({@link #checked}). */
    void tell(Key key) {
        ChangeListener<Key> l = listener;
        if (l != null) {
            l.changed(this, key);
        }
    }

    /** The verdict in force for a server, or null. */
    synchronized Verdict verdict(String upstream, String address) {
        return verdicts.get(new Key(upstream, address));
    }

    /** Forgets the servers of upstreams no longer in the zone. */
    synchronized void retain(Collection<String> upstreams) {
        verdicts.keySet().removeIf(k -> !upstreams.contains(k.upstream()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ZoneType type() {
        return TYPE;
    }

    @Override
    public synchronized long recordCount() {
        return verdicts.size();
    }

    @Override
    public Iterator<ZoneRecord> snapshot() {
        List<Key> keys;
        synchronized (this) {
            keys = new ArrayList<>(verdicts.keySet());
        }
        return new ExportingIterator<>(keys.iterator(), this::export);
    }

    @Override
    public ZoneRecord export(Key key) {
        Verdict v;
        synchronized (this) {
            v = verdicts.get(key);
        }
        if (v == null) {
            return null;
        }
        return new ZoneRecord(key.bytes(), new byte[] {v.unhealthy() ? UNHEALTHY : UP}, v.stamp(), false,
                ZoneRecord.NO_EXPIRY);
    }

    /**
     * Merges a peer's verdict: it replaces the one in force when its stamp is newer (an equal stamp is
     * the same verdict), and then goes to the group. Malformed records (a bad key, a payload other
     * than one byte 0 or 1, a tombstone) are ignored.
     */
    @Override
    public boolean applyRemote(ZoneRecord record) {
        Key key = Key.of(record.key());
        byte[] p = record.payload();
        if (key == null || record.tombstone() || p.length != 1 || (p[0] != UP && p[0] != UNHEALTHY)) {
            return false;
        }
        Verdict v = new Verdict(p[0] == UNHEALTHY, record.stamp());
        synchronized (this) {
            Verdict now = verdicts.get(key);
            if (now != null && !v.stamp().isNewerThan(now.stamp())) {
                return false;
            }
            if (now == null && verdicts.size() >= MAX_VERDICTS) {
                if (!overflowLogged) {
                    overflowLogged = true;
                    LOG.warn("upstream zone \"{}\" holds {} health check verdicts; verdicts for more servers are"
                            + " dropped", name, MAX_VERDICTS);
                }
                return false;
            }
            verdicts.put(key, v);
        }
        target.decided(key, v);
        return true;
    }

    @Override
    public void setChangeListener(ChangeListener<Key> l) {
        listener = l;
    }
}
