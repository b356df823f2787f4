package io.zonesync.keyval;

import io.zonesync.log.LogMarkers;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code state=file} of a keyval zone, kept as an append-only journal ({@link KeyvalJournal}):
 * loaded once when the zone opens, then one record appended per change.
 *
 * <p><b>When a change is on disk.</b> Every change, local or from a peer, is appended (written to
 * the file, so in the operating system's cache) by the thread that made it, before the zone's
 * listeners return, so before the API answers: a killed process loses nothing acknowledged. The
 * file is forced to the device by a background group commit every {@code syncIntervalMs} that saw
 * changes, and at once when {@link #SYNC_BYTES} are waiting, so a power loss may cost the changes
 * of the last interval and no more.
 *
 * <p><b>Compaction.</b> When the journal is more than twice the zone's used bytes and more than
 * {@code compactMinBytes}, a background task writes the zone's current entries to a fresh file
 * in the same directory, appends what changed meanwhile, forces it and renames it over the
 * journal. Writers wait only for that last step.
 *
 * <p><b>Loading.</b> A missing file is an empty zone. A journal is replayed up to its last good
 * record; a truncated or damaged tail is logged with the file and offset and cut off. A JSON
 * file (earlier zonesync versions, NGINX Plus, njs: {@link KeyvalJsonState}) is loaded and at once
 * rewritten as a journal.
 *
 * <p><b>Failures.</b> A failed append is logged and stops appends; the next {@link #persist()}
 * (the API calls it before it answers) or background sync writes the whole zone to a fresh file
 * instead, and until one succeeds {@link #persist()} throws.
 *
 * <p>Longer than most classes: loading, appending, the group commit and compaction work on one
 * file under one pair of locks, and their interplay (a compaction copying while appends go on) is
 * what this class is about; the record format is {@link KeyvalJournal}.
 */
public final class KeyvalStateFile implements KeyvalListener, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyvalStateFile.class);
    /** How often waiting appends are forced to disk, by default. */
    static final long SYNC_INTERVAL_MS = 100;
    /** Waiting bytes that force the file at once rather than at the next interval. */
    static final long SYNC_BYTES = 1 << 20;
    /** A journal smaller than this is never compacted, by default. */
    static final long COMPACT_MIN_BYTES = 1 << 20;
    private static final int WRITE_CHUNK = 64 * 1024;

    private final KeyvalZone zone;
    private final Path file;
    private final ScheduledExecutorService executor;
    private final long compactMinBytes;
    /** Held by appenders and for the short steps of sync and compaction. */
    private final Object lock = new Object();
    /** Held by whoever forces or replaces the file: one at a time, appenders never wait for it. */
    private final Object diskLock = new Object();
    private FileChannel channel;
    private long fileBytes;
    private long unsyncedBytes;
    private boolean syncQueued;
    private boolean compactQueued;
    /** The journal must be larger than this, too, to be compacted: pushed up after a failed compaction. */
    private long compactFloor;
    /** Whether a background rewrite after a failed append has failed and been logged since. */
    private boolean repairFailing;
    /** While a compaction runs: the records appended since it took its copy of the zone. */
    private ByteArrayOutputStream compactionTail;
    private IOException failure;
    private boolean closed;
    private ScheduledFuture<?> syncer;

    private KeyvalStateFile(KeyvalZone zone, Path file, ScheduledExecutorService executor, long compactMinBytes) {
        this.zone = zone;
        this.file = file;
        this.executor = executor;
        this.compactMinBytes = compactMinBytes;
    }

    /**
     * Loads {@code file} into {@code zone} (a missing file is an empty zone) and from then on keeps
     * it: group commits and compactions run on {@code executor}.
     */
    public static KeyvalStateFile open(KeyvalZone zone, Path file, ScheduledExecutorService executor)
            throws KeyvalStateFileException {
        return open(zone, file, executor, SYNC_INTERVAL_MS, COMPACT_MIN_BYTES);
    }

    /** As above, with the group commit interval and the smallest journal compacted. */
    static KeyvalStateFile open(KeyvalZone zone, Path file, ScheduledExecutorService executor, long syncIntervalMs,
            long compactMinBytes) throws KeyvalStateFileException {
        requireDirectory(zone, file);
        KeyvalStateFile stateFile = new KeyvalStateFile(zone, file, executor, compactMinBytes);
        stateFile.load();
        zone.attachStateFile(stateFile);
        zone.addListener(stateFile);
        stateFile.syncer = executor.scheduleWithFixedDelay(stateFile::syncQuietly, syncIntervalMs, syncIntervalMs,
                TimeUnit.MILLISECONDS);
        return stateFile;
    }

    /**
     * What {@link #open} would refuse, found without writing anything ({@code -t}): a directory that
     * is missing or not writable, a file that cannot be read, contents that do not load into
     * {@code zone} (a throwaway zone of the same settings). A damaged journal tail is not refused:
     * open cuts it off with a warning.
     */
    public static void check(KeyvalZone zone, Path file) throws KeyvalStateFileException {
        Path dir = requireDirectory(zone, file);
        if (!Files.isWritable(dir)) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be written: directory \"" + dir
                    + "\" is not writable", null);
        }
        new KeyvalStateFile(zone, file, null, COMPACT_MIN_BYTES).verify();
    }

    private static Path requireDirectory(KeyvalZone zone, Path file) throws KeyvalStateFileException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be written: directory \"" + dir
                    + "\" does not exist", null);
        }
        return dir;
    }

    /** Reads the file into the zone as {@link #load} does, but leaves the file as it is. */
    private void verify() throws KeyvalStateFileException {
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), WRITE_CHUNK)) {
                long size = Files.size(file);
                if (KeyvalJournal.isJournal(in.readNBytes(KeyvalJournal.HEADER.length))) {
                    restore(new ArrayList<>(KeyvalJournal.replay(in, size).entries().values()));
                    return;
                }
            } catch (NoSuchFileException e) {
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                restore(new KeyvalJsonState(file, zone).decode(bytes));
            }
        } catch (KeyvalStateFileException e) {
            throw e;
        } catch (IOException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be read or written: " + e, e);
        }
    }

    public Path path() {
        return file;
    }

    /** Bytes of the journal now (header and records). */
    long journalBytes() {
        synchronized (lock) {
            return fileBytes;
        }
    }

    /**
     * Returns once every change made so far is at least in the operating system's cache (which
     * appends made already), and throws if it is not: then the appends have failed and a rewrite
     * of the whole file is tried first.
     */
    public void persist() throws IOException {
        synchronized (lock) {
            if (failure == null) {
                return;
            }
        }
        compact();
    }

    /** Forces every append made so far to the device (what the group commit does). */
    void sync() throws IOException {
        synchronized (diskLock) {
            FileChannel ch;
            long pending;
            synchronized (lock) {
                syncQueued = false;
                if (closed || unsyncedBytes == 0 || failure != null) {
                    return;
                }
                ch = channel;
                pending = unsyncedBytes;
            }
            ch.force(false);
            synchronized (lock) {
                unsyncedBytes -= Math.min(pending, unsyncedBytes);
            }
        }
    }

    @Override
    public void localChange(KeyvalZone z, String key) {
        append(key);
    }

    @Override
    public void remoteChange(KeyvalZone z, String key) {
        append(key);
    }

    /** Stops listening, writes the zone out afresh if appends had failed, forces and closes the file. */
    @Override
    public void close() throws IOException {
        zone.removeListener(this);
        if (syncer != null) {
            syncer.cancel(false);
        }
        persist();
        synchronized (diskLock) {
            FileChannel ch;
            synchronized (lock) {
                closed = true;
                ch = channel;
                channel = null;
            }
            if (ch != null) {
                try (ch) {
                    ch.force(false);
                }
            }
        }
    }

    // ---------------------------------------------------------------- appending

    /**
     * Appends the key's current state. Reading it under {@link #lock} keeps the file in the order of
     * the changes even when two threads change the same key: the later append reads the later state.
     */
    private void append(String key) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            byte[] record = zone.transfer().record(key, (r, now) -> KeyvalJournal.entry(r));
            if (record == null) {
                record = KeyvalJournal.removed(key);
            }
            if (compactionTail != null) {
                compactionTail.writeBytes(record);
            }
            if (failure != null) {
                return;
            }
            try {
                writeFully(channel, record);
            } catch (IOException e) {
                failure = e;
                LOG.error("appending to state file \"{}\" of keyval zone \"{}\" failed: {}; the zone is written out"
                        + " afresh at the next write or within {} ms", file, zone.name(), e.toString(),
                        SYNC_INTERVAL_MS);
                return;
            }
            fileBytes += record.length;
            unsyncedBytes += record.length;
            if (unsyncedBytes >= SYNC_BYTES && !syncQueued) {
                syncQueued = submit(this::syncQuietly);
            }
            compactIfOutgrown();
        }
    }

    /** Queues a compaction if the journal has outgrown the zone and none is queued; under {@link #lock}. */
    private void compactIfOutgrown() {
        if (!compactQueued && fileBytes > Math.max(compactMinBytes, compactFloor) && fileBytes > 2 * zone.usedBytes()) {
            compactQueued = submit(this::compactQuietly);
        }
    }

    /** Runs a task in the background; false when the executor is shutting down (the node is stopping). */
    private boolean submit(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The group commit, or after a failed append the rewrite (logged once while it keeps failing). */
    private void syncQuietly() {
        boolean failed;
        synchronized (lock) {
            failed = failure != null && !closed;
        }
        try {
            if (failed) {
                compact();
                if (repairFailing) {
                    repairFailing = false;
                    LOG.info(LogMarkers.NOTICE, "state file \"{}\" of keyval zone \"{}\" is written again",
                            file, zone.name());
                }
            } else {
                sync();
            }
        } catch (IOException | RuntimeException e) {
            if (!failed || !repairFailing) {
                repairFailing = failed;
                LOG.error("{} state file \"{}\" of keyval zone \"{}\" failed: {}", failed ? "rewriting" : "syncing",
                        file, zone.name(), e.toString());
            }
        }
    }

    /** A compaction in the background; after a failure the next waits for another compactMinBytes of growth. */
    private void compactQuietly() {
        try {
            compact();
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                compactFloor = fileBytes + compactMinBytes;
            }
            LOG.error("compacting state file \"{}\" of keyval zone \"{}\" failed: {}", file, zone.name(),
                    e.toString());
        }
    }

    // ---------------------------------------------------------------- compaction

    /**
     * Writes the zone's entries to a fresh journal and renames it over the file. Appends go on
     * meanwhile (to the old file, and are kept to be copied to the new one); they wait only while
     * those are copied, the new file forced and renamed.
     */
    void compact() throws IOException {
        synchronized (diskLock) {
            List<byte[]> entries;
            synchronized (lock) {
                compactQueued = false;
                if (closed) {
                    return;
                }
                compactionTail = new ByteArrayOutputStream();
                entries = zone.transfer().snapshot();
            }
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = null;
            FileChannel out = null;
            boolean replaced = false;
            try {
                tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
                out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                writeSnapshot(out, entries);
                out.force(false);
                FileChannel old;
                synchronized (lock) {
                    writeFully(out, compactionTail.toByteArray());
                    out.force(false);
                    move(tmp, file);
                    forceDirectory(dir);
                    old = channel;
                    channel = out;
                    fileBytes = out.size();
                    unsyncedBytes = 0;
                    compactionTail = null;
                    failure = null;
                    compactIfOutgrown(); // what was appended meanwhile may be most of the file
                }
                replaced = true;
                if (old != null) {
                    old.close();
                }
            } finally {
                if (!replaced) {
                    synchronized (lock) {
                        compactionTail = null;
                    }
                    try (FileChannel unused = out) {
                        if (tmp != null) {
                            Files.deleteIfExists(tmp);
                        }
                    }
                }
            }
        }
    }

    private static void writeSnapshot(FileChannel out, List<byte[]> entries)
            throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(WRITE_CHUNK * 2);
        chunk.writeBytes(KeyvalJournal.HEADER);
        for (byte[] e : entries) {
            chunk.writeBytes(KeyvalJournal.entry(e));
            if (chunk.size() >= WRITE_CHUNK) {
                writeFully(out, chunk.toByteArray());
                chunk.reset();
            }
        }
        writeFully(out, chunk.toByteArray());
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace state file \"" + to + "\" atomically: " + e.getMessage(), e);
        }
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
        try {
            if (loadJournal()) {
                return;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                bytes = new byte[0];
            }
            boolean blank = new String(bytes, StandardCharsets.UTF_8).isBlank();
            if (!blank) {
                restore(new KeyvalJsonState(file, zone).decode(bytes));
            }
            compact();
            if (!blank) {
                LOG.info(LogMarkers.NOTICE, "keyval state file \"{}\" of zone \"{}\" was JSON and is now a journal",
                        file, zone.name());
            }
        } catch (KeyvalStateFileException e) {
            throw e;
        } catch (IOException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be read or written: " + e, e);
        }
    }

    /** Replays the file if it is a journal, cutting a bad tail off; false if it is not one (or missing). */
    private boolean loadJournal() throws IOException {
        KeyvalJournal.Replay replay;
        long size;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), WRITE_CHUNK)) {
            size = Files.size(file);
            if (!KeyvalJournal.isJournal(in.readNBytes(KeyvalJournal.HEADER.length))) {
                return false;
            }
            replay = KeyvalJournal.replay(in, size);
        } catch (NoSuchFileException e) {
            return false;
        }
        restore(new ArrayList<>(replay.entries().values()));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (replay.damage() != null) {
            long ignored = size - replay.goodBytes();
            if (replay.damage().problem().equals("truncated")) {
                LOG.warn("keyval state file \"{}\" is truncated at offset {}, the rest ({} bytes) is ignored", file,
                        replay.damage().offset(), ignored);
            } else {
                LOG.error("keyval state file \"{}\" is {} at offset {}, the rest ({} bytes) is ignored", file,
                        replay.damage().problem(), replay.damage().offset(), ignored);
            }
            ch.truncate(replay.goodBytes());
            ch.force(false);
        }
        synchronized (lock) {
            channel = ch;
            fileBytes = replay.goodBytes();
        }
        return true;
    }

    private void restore(List<byte[]> entries) throws KeyvalStateFileException {
        try {
            zone.transfer().restore(entries);
        } catch (KeyvalException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be loaded: " + e.getMessage(), e);
        }
    }
}
