package io.zonesync.keyval;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneFamily;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code keyval_zone}s of the http or the stream block as a zone family: a reload keeps a zone
 * whose type and {@code sync} flag are unchanged, with its pairs (a new size or timeout waits for
 * a restart, as nginx's shared memory does); a committed zone opens its {@code state=} file and
 * learns the largest pair one sync frame carries.
 */
public final class KeyvalFamily implements ZoneFamily<KeyvalZoneConf, KeyvalZone> {
    public static final Key<KeyvalZone> HTTP = new Key<>("keyval_zone http");
    public static final Key<KeyvalZone> STREAM = new Key<>("keyval_zone stream");
    private static final Logger LOG = LoggerFactory.getLogger(KeyvalFamily.class);

    private final Key<KeyvalZone> key;
    private final Clock clock;
    private final StampSource stamps;
    private final Map<KeyvalZone, KeyvalStateFile> stateFiles = new HashMap<>();

    private KeyvalFamily(Key<KeyvalZone> key, Clock clock, StampSource stamps) {
        this.key = key;
        this.clock = clock;
        this.stamps = stamps;
    }

    /** The zones of the {@code http} block. */
    public static KeyvalFamily http(Clock clock, StampSource stamps) {
        return new KeyvalFamily(HTTP, clock, stamps);
    }

    /** The zones of the {@code stream} block. */
    public static KeyvalFamily stream(Clock clock, StampSource stamps) {
        return new KeyvalFamily(STREAM, clock, stamps);
    }

    @Override
    public Key<KeyvalZone> key() {
        return key;
    }

    @Override
    public List<KeyvalZoneConf> declare(ParsedConfig config) throws ConfigException {
        KeyvalConfig.Both both = KeyvalConfig.compile(config);
        return (key == HTTP ? both.http() : both.stream()).zones();
    }

    @Override
    public String zoneName(KeyvalZoneConf declared) {
        return declared.name();
    }

    @Override
    public SourceLocation where(KeyvalZoneConf declared) {
        return declared.where();
    }

    @Override
    public boolean synced(KeyvalZoneConf declared) {
        return declared.sync();
    }

    @Override
    public KeyvalZone zoneFor(KeyvalZoneConf c, KeyvalZone kept) {
        if (kept != null && kept.type() == c.type() && kept.isSync() == c.sync()) {
            if (kept.sizeBytes() != c.sizeBytes() || kept.timeoutMs() != c.timeoutMs()) {
                LOG.warn("keyval_zone \"{}\": a new size or timeout applies after a restart; the zone keeps its"
                        + " contents with the old settings until then", c.name());
            }
            return kept;
        }
        return new KeyvalZone(c.name(), c.sizeBytes(), c.type(), c.timeoutMs(), c.sync(), clock, stamps);
    }

    @Override
    public ReplicatedZone<?> replicaOf(KeyvalZone zone) {
        return new KeyvalReplica(zone);
    }

    @Override
    public void check(KeyvalZoneConf c) throws ConfigException {
        if (c.stateFile() == null) {
            return;
        }
        try {
            KeyvalStateFile.check(zoneFor(c, null), c.stateFile());
        } catch (KeyvalStateFileException e) {
            throw new ConfigException(e.getMessage(), c.where(), e);
        }
    }

    @Override
    public synchronized void commit(KeyvalZoneConf c, KeyvalZone zone, Commit context) throws IOException {
        zone.syncRecordLimit(context.recordRoom().bytes(zone.name(), KeyvalReplica.TYPE));
        if (c.stateFile() != null && !stateFiles.containsKey(zone)) {
            stateFiles.put(zone, KeyvalStateFile.open(zone, c.stateFile(), context.executor()));
        }
    }

    @Override
    public synchronized void release(KeyvalZone zone) {
        KeyvalStateFile f = stateFiles.remove(zone);
        if (f == null) {
            return;
        }
        try {
            f.close();
        } catch (IOException e) {
            LOG.error("keyval state file \"{}\" could not be saved: {}", f.path(), e.getMessage());
        }
    }

    @Override
    public void expire(KeyvalZone zone) {
        zone.expire();
    }
}
