package io.zonesync.keyval;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.zone.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code state=file} of a keyval zone: loaded once when the zone opens, saved as JSON whenever
 * the zone changed.
 *
 * <p><b>Format</b> (close to njs shared dicts, which is what NGINX Plus documents for state):
 * {@code {"key":{"value":"v","expire":1767225600000,"stamp":[hlc,node]}, ...}}. {@code expire} is
 * absolute wall-clock ms and is absent for pairs that never expire; {@code stamp} is the write's
 * {@link Stamp} so a restarted node keeps last-writer-wins order; a tombstone of a sync zone is
 * saved with {@code "value":null}. On load, expired entries are dropped, a pair without
 * {@code expire} in a zone with a timeout gets now + timeout, and a pair without {@code stamp}
 * gets {@link Stamp#ZERO} (any peer's write wins over it).
 *
 * <p><b>Atomicity.</b> A save writes a temporary file in the same directory, forces it to disk,
 * renames it over the state file and forces the directory, so a crash leaves either the old or
 * the new file, never a torn one.
 *
 * <p><b>When it saves.</b> Local changes through the API must survive a crash once the API has
 * answered 2xx: the API calls {@link KeyvalZone#persist()}, which calls {@link #flushNow()}
 * synchronously before answering (a save already covering the change is not repeated, so
 * concurrent writers share one save). Changes without a caller waiting (remote changes from sync,
 * variable assignment) are saved by a debounced background save at most {@code debounceMs} after
 * the first unsaved change, so a burst of peer updates costs one write, not one per update. A
 * failed background save is logged and retried on the next change. {@link #close()} saves once
 * more.
 */
public final class KeyvalStateFile implements KeyvalListener, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyvalStateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final KeyvalZone zone;
    private final Path file;
    private final ScheduledExecutorService executor;
    private final long debounceMs;
    private final Object saveLock = new Object();
    private long savedChange;
    private ScheduledFuture<?> pending;
    private boolean closed;

    private KeyvalStateFile(KeyvalZone zone, Path file, ScheduledExecutorService executor, long debounceMs) {
        this.zone = zone;
        this.file = file;
        this.executor = executor;
        this.debounceMs = debounceMs;
    }

    /**
     * Loads {@code file} into {@code zone} (a missing file is an empty zone) and from then on keeps
     * it saved. Background saves run on {@code executor} after {@code debounceMs}.
     */
    public static KeyvalStateFile open(KeyvalZone zone, Path file, ScheduledExecutorService executor,
            long debounceMs) throws KeyvalStateFileException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be written: directory \"" + dir
                    + "\" does not exist", null);
        }
        KeyvalStateFile stateFile = new KeyvalStateFile(zone, file, executor, debounceMs);
        stateFile.load();
        stateFile.savedChange = zone.changeCount();
        zone.attachStateFile(stateFile);
        zone.addListener(stateFile);
        return stateFile;
    }

    public Path path() {
        return file;
    }

    /** Saves now unless a save already covers every change; returns when the file is on disk. */
    public void flushNow() throws IOException {
        synchronized (saveLock) {
            long target = zone.changeCount();
            if (target == savedChange) {
                return;
            }
            write(encode(zone.snapshot()));
            savedChange = target;
        }
    }

    @Override
    public void localChange(KeyvalZone z, String key) {
        scheduleSave();
    }

    @Override
    public void remoteChange(KeyvalZone z, String key) {
        scheduleSave();
    }

    /** Stops background saves and saves what is left. */
    @Override
    public void close() throws IOException {
        synchronized (saveLock) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
        zone.removeListener(this);
        flushNow();
    }

    private void scheduleSave() {
        synchronized (saveLock) {
            if (closed || pending != null) {
                return;
            }
            pending = executor.schedule(this::backgroundSave, debounceMs, TimeUnit.MILLISECONDS);
        }
    }

    private void backgroundSave() {
        synchronized (saveLock) {
            pending = null;
        }
        try {
            flushNow();
        } catch (IOException | RuntimeException e) {
            LOG.error("saving state file \"{}\" of keyval zone \"{}\" failed: {}", file, zone.name(), e.toString());
        }
    }

    // ---------------------------------------------------------------- encoding

    static byte[] encode(List<Map.Entry<String, KeyvalStore.Entry>> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (Map.Entry<String, KeyvalStore.Entry> e : entries) {
                KeyvalStore.Entry v = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                if (v.value() == null) {
                    g.writeNullField("value");
                } else {
                    g.writeStringField("value", v.value());
                }
                if (v.expireAt() != 0) {
                    g.writeNumberField("expire", v.expireAt());
                }
                g.writeArrayFieldStart("stamp");
                g.writeNumber(v.stamp().hlc());
                g.writeNumber(v.stamp().node());
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    private void write(byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace state file \"" + file + "\" atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open or sync a directory; the rename itself is still atomic.
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    // ---------------------------------------------------------------- loading

    private void load() throws KeyvalStateFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be read: " + e, e);
        }
        List<Map.Entry<String, KeyvalStore.Entry>> loaded = decode(bytes);
        try {
            zone.restore(loaded);
        } catch (KeyvalException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be loaded: " + e.getMessage(), e);
        }
    }

    private List<Map.Entry<String, KeyvalStore.Entry>> decode(byte[] bytes) throws KeyvalStateFileException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new KeyvalStateFileException(file, zone.name(), "is not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be read: " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            return List.of();
        }
        if (!root.isObject()) {
            throw corrupt("must hold a JSON object of keys, not " + root.getNodeType().toString().toLowerCase());
        }
        List<Map.Entry<String, KeyvalStore.Entry>> out = new ArrayList<>();
        long now = zone.now();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(Map.entry(f.getKey(), decodeEntry(f.getKey(), f.getValue(), now)));
        }
        return out;
    }

    private KeyvalStore.Entry decodeEntry(String key, JsonNode node, long now) throws KeyvalStateFileException {
        if (!node.isObject()) {
            throw corrupt("has key \"" + key + "\" whose entry is not an object");
        }
        JsonNode value = node.get("value");
        if (value == null || !(value.isTextual() || value.isNull())) {
            throw corrupt("has key \"" + key + "\" without a string \"value\"");
        }
        JsonNode expire = node.get("expire");
        long expireAt;
        if (expire == null) {
            expireAt = zone.timeoutMs() > 0 ? now + zone.timeoutMs() : 0;
        } else if (expire.canConvertToLong() && expire.isIntegralNumber() && expire.asLong() > 0) {
            expireAt = expire.asLong();
        } else {
            throw corrupt("has key \"" + key + "\" with invalid \"expire\" " + expire);
        }
        JsonNode stamp = node.get("stamp");
        Stamp s = Stamp.ZERO;
        if (stamp != null) {
            if (!stamp.isArray() || stamp.size() != 2 || !stamp.get(0).isIntegralNumber()
                    || !stamp.get(1).isIntegralNumber()) {
                throw corrupt("has key \"" + key + "\" with invalid \"stamp\" " + stamp);
            }
            s = new Stamp(stamp.get(0).asLong(), stamp.get(1).asLong());
        }
        return new KeyvalStore.Entry(value.isNull() ? null : value.asText(), expireAt, s, 0);
    }

    private KeyvalStateFileException corrupt(String problem) {
        return new KeyvalStateFileException(file, zone.name(), problem, null);
    }
}
