package io.zonesync.node;

import io.zonesync.config.ConfigException;
import io.zonesync.http.limitreq.LimitReqZones;
import io.zonesync.http.limitreq.MonotonicClock;
import io.zonesync.http.sticky.SessionZone;
import io.zonesync.http.sticky.StickyReplica;
import io.zonesync.http.sticky.StickySpec;
import io.zonesync.keyval.KeyvalConfig;
import io.zonesync.keyval.KeyvalReplica;
import io.zonesync.keyval.KeyvalStateFile;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.keyval.KeyvalZoneConf;
import io.zonesync.sync.proto.RecordBatchWriter;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's zones, which outlive configurations: a reload keeps a zone that keeps its name, type
 * and sync flag (with its contents and state file), creates new ones and closes removed ones.
 * Shared-memory zone names are one namespace, as in nginx: an http and a stream zone cannot share
 * a name.
 */
final class ZoneTable {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneTable.class);

    /** The zones of one configuration, by name: keyval for http and stream, and sticky learn sessions. */
    record Zones(Map<String, KeyvalZone> http, Map<String, KeyvalZone> stream, Map<KeyvalZone, KeyvalZoneConf> confs,
            Map<String, SessionZone> sticky) {
        List<ReplicatedZone<?>> replicated(Map<KeyvalZone, KeyvalReplica> replicas,
                Map<SessionZone, StickyReplica> stickyReplicas) {
            List<ReplicatedZone<?>> out = new ArrayList<>();
            for (Map.Entry<KeyvalZone, KeyvalZoneConf> e : confs.entrySet()) {
                if (e.getValue().sync()) {
                    out.add(replicas.computeIfAbsent(e.getKey(), KeyvalReplica::new));
                }
            }
            for (SessionZone z : sticky.values()) {
                if (z.sync()) {
                    out.add(stickyReplicas.computeIfAbsent(z, StickyReplica::new));
                }
            }
            return out;
        }

        List<KeyvalZone> all() {
            return new ArrayList<>(confs.keySet());
        }
    }

    private final Clock clock;
    private final StampSource stamps;
    private final Map<String, KeyvalZone> byName = new HashMap<>();
    private final Map<String, KeyvalZoneConf> confByName = new HashMap<>();
    private final Map<KeyvalZone, KeyvalStateFile> stateFiles = new HashMap<>();
    private final Map<KeyvalZone, KeyvalReplica> replicas = new HashMap<>();
    private final LimitReqZones limitReq;
    private final Map<String, SessionZone> stickyByName = new HashMap<>();
    private final Map<SessionZone, StickyReplica> stickyReplicas = new HashMap<>();

    ZoneTable(Clock clock, StampSource stamps) {
        this.clock = clock;
        this.stamps = stamps;
        this.limitReq = new LimitReqZones(MonotonicClock.system(), stamps, clock);
    }

    /** The limit_req zones, which keep their own table (their buckets survive reloads the same way). */
    LimitReqZones limitReq() {
        return limitReq;
    }

    /**
     * The zones a configuration declares: existing ones where the shape is unchanged, new ones
     * otherwise. Nothing is opened or closed here, so a configuration that fails later leaves the
     * table as it was.
     */
    Clock clock() {
        return clock;
    }

    synchronized Zones prepare(KeyvalConfig.Both keyval, List<StickySpec.Learn> learn) throws ConfigException {
        Map<String, KeyvalZone> http = new LinkedHashMap<>();
        Map<String, KeyvalZone> stream = new LinkedHashMap<>();
        Map<KeyvalZone, KeyvalZoneConf> confs = new LinkedHashMap<>();
        Map<String, KeyvalZoneConf> seen = new HashMap<>();
        for (boolean isHttp : new boolean[] {true, false}) {
            for (KeyvalZoneConf c : (isHttp ? keyval.http() : keyval.stream()).zones()) {
                KeyvalZoneConf other = seen.putIfAbsent(c.name(), c);
                if (other != null) {
                    throw new ConfigException("the shared memory zone \"" + c.name() + "\" is already declared"
                            + " for a different use in " + other.where(), c.where());
                }
                KeyvalZone zone = reusable(c);
                if (zone == null) {
                    zone = new KeyvalZone(c.name(), c.sizeBytes(), c.type(), c.timeoutMs(), c.sync(), clock, stamps);
                }
                (isHttp ? http : stream).put(c.name(), zone);
                confs.put(zone, c);
            }
        }
        Map<String, SessionZone> sticky = new LinkedHashMap<>();
        for (StickySpec.Learn l : learn) {
            KeyvalZoneConf other = seen.get(l.zone());
            if (other != null) {
                throw l.directive().error("the shared memory zone \"%s\" is already declared for a different use"
                        + " in %s", l.zone(), other.where());
            }
            sticky.put(l.zone(), reusableSticky(l));
        }
        return new Zones(Map.copyOf(http), Map.copyOf(stream), confs, Map.copyOf(sticky));
    }

    /** The session zone for {@code l}: the current one if only the size or timeout changed, else a new one. */
    private SessionZone reusableSticky(StickySpec.Learn l) throws ConfigException {
        SessionZone existing = stickyByName.get(l.zone());
        if (existing != null && !existing.upstream().equals(l.upstream())) {
            throw l.directive().error("sticky zone \"%s\" is used in upstream \"%s\" while previously it was used"
                    + " in upstream \"%s\"", l.zone(), l.upstream(), existing.upstream());
        }
        if (existing != null && existing.sync() == l.sync()) {
            if (existing.sizeBytes() != l.sizeBytes() || existing.timeoutMs() != l.timeoutMs()) {
                LOG.warn("sticky zone \"{}\": a new size or timeout applies after a restart; the zone keeps its"
                        + " sessions with the old settings until then", l.zone());
            }
            return existing;
        }
        return new SessionZone(l.zone(), l.upstream(), l.sizeBytes(), l.timeoutMs(), l.sync(), clock, stamps);
    }

    private KeyvalZone reusable(KeyvalZoneConf c) {
        KeyvalZone existing = byName.get(c.name());
        KeyvalZoneConf before = confByName.get(c.name());
        if (existing == null || before == null || !before.sameShapeAs(c)) {
            return null;
        }
        if (before.sizeBytes() != c.sizeBytes() || before.timeoutMs() != c.timeoutMs()) {
            LOG.warn("keyval_zone \"{}\": a new size or timeout applies after a restart; the zone keeps its"
                    + " contents with the old settings until then", c.name());
        }
        return existing;
    }

    /**
     * Makes a prepared set of zones the table: opens the state files of new zones (loading them),
     * closes (saving) those of zones no longer configured, and gives every keyval zone the largest
     * pair one sync frame of {@code syncFrameBytes} (a {@code zone_sync_buffers} buffer) carries.
     */
    synchronized void commit(Zones zones, int syncFrameBytes, ScheduledExecutorService executor) throws IOException {
        List<KeyvalStateFile> opened = new ArrayList<>();
        try {
            for (Map.Entry<KeyvalZone, KeyvalZoneConf> e : zones.confs().entrySet()) {
                KeyvalZoneConf c = e.getValue();
                if (c.stateFile() != null && !stateFiles.containsKey(e.getKey())) {
                    KeyvalStateFile f = KeyvalStateFile.open(e.getKey(), c.stateFile(), executor);
                    opened.add(f);
                    stateFiles.put(e.getKey(), f);
                }
            }
        } catch (IOException e) {
            for (KeyvalStateFile f : opened) {
                stateFiles.values().remove(f);
                closeQuietly(f);
            }
            throw e;
        }
        for (KeyvalZone gone : new ArrayList<>(stateFiles.keySet())) {
            if (!zones.confs().containsKey(gone)) {
                closeQuietly(stateFiles.remove(gone));
            }
        }
        byName.clear();
        confByName.clear();
        for (Map.Entry<KeyvalZone, KeyvalZoneConf> e : zones.confs().entrySet()) {
            e.getKey().syncRecordLimit(syncRecordLimit(e.getKey().name(), syncFrameBytes));
            byName.put(e.getValue().name(), e.getKey());
            confByName.put(e.getValue().name(), e.getValue());
        }
        replicas.keySet().retainAll(zones.confs().keySet());
        stickyByName.clear();
        stickyByName.putAll(zones.sticky());
        stickyReplicas.keySet().retainAll(zones.sticky().values());
    }

    /** Key and value bytes that fit alone in a RECORDS frame of {@code frameBytes} for this keyval zone. */
    static long syncRecordLimit(String zone, int frameBytes) {
        ZoneSignature signature = new ZoneSignature(zone, KeyvalReplica.TYPE.tag(), KeyvalReplica.TYPE.codecVersion());
        return frameBytes - RecordBatchWriter.headerSize(signature) - RecordBatchWriter.recordSize(0, 0);
    }

    synchronized List<ReplicatedZone<?>> replicated(Zones zones) {
        return zones.replicated(replicas, stickyReplicas);
    }

    /** Removes what expired; called every second. */
    void expire() {
        List<KeyvalZone> zones;
        List<SessionZone> sessions;
        synchronized (this) {
            zones = new ArrayList<>(byName.values());
            sessions = new ArrayList<>(stickyByName.values());
        }
        for (KeyvalZone z : zones) {
            z.expire();
        }
        for (SessionZone z : sessions) {
            z.expire();
        }
    }

    /** Saves and closes every state file. */
    synchronized void close() {
        for (KeyvalStateFile f : stateFiles.values()) {
            closeQuietly(f);
        }
        stateFiles.clear();
    }

    private static void closeQuietly(KeyvalStateFile f) {
        try {
            f.close();
        } catch (IOException e) {
            LOG.error("keyval state file \"{}\" could not be saved: {}", f.path(), e.getMessage());
        }
    }
}
