package io.zonesync.http.accesslog;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.zonesync.log.ErrnoText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines on a thread of its own, so event loops never wait on a disk. Lines are
 * queued (bounded: when the queue is full a line is dropped and counted, rather than stalling
 * requests), grouped per file, and flushed when the queue runs dry, or for buffered logs when the
 * buffer fills or its flush time passes. {@link #reopen()} (USR1) closes and reopens every file
 * after the lines already queued are written, so rotated files get no more lines.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final int QUEUE_CAPACITY = 65536;

    private sealed interface Item permits Line, Control {
    }

    private record Line(AccessLog log, String text) implements Item {
    }

    private record Control(Runnable action) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<Path, OpenFile> files = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private static final class OpenFile {
        final OutputStream out;
        final boolean buffered;
        long dirtySinceMs = -1;
        long flushMs;

        OpenFile(OutputStream out, boolean buffered, long flushMs) {
            this.out = out;
            this.buffered = buffered;
            this.flushMs = flushMs;
        }
    }

    public AccessLogWriter() {
        thread = new Thread(this::run, "access-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Opens (appending) the files of these logs that are not open yet, on the caller's thread, so a
     * file that cannot be opened fails the start or reload that asked for it, in nginx's words:
     * {@code open() "/x/access.log" failed (2: No such file or directory)}.
     */
    public void open(Iterable<AccessLog> logs) throws IOException {
        for (AccessLog log : logs) {
            if (!files.containsKey(log.path())) {
                files.put(log.path(), openFile(log.path(), log.bufferSize(), log.flushMs()));
            }
        }
    }

    /** Opens the file for appending (creating it) and closes it again: what {@code -t} checks. */
    public static void probe(Path path) throws IOException {
        openFile(path, 0, 0).out.close();
    }

    private static OpenFile openFile(Path path, int buffer, long flushMs) throws IOException {
        try {
            OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return new OpenFile(new BufferedOutputStream(out, Math.max(buffer, 8192)), buffer > 0, flushMs);
        } catch (IOException e) {
            throw new IOException(ErrnoText.openFailed(path, e), e);
        }
    }

    /** Closes files no configured log uses any more (after a reload). */
    public void retain(Set<Path> inUse) {
        control(() -> files.entrySet().removeIf(e -> {
            if (inUse.contains(e.getKey())) {
                return false;
            }
            closeQuietly(e.getKey(), e.getValue());
            return true;
        }));
    }

    /** Queues a line (without newline) for a log whose file was {@link #open opened}. Never blocks. */
    public void write(AccessLog log, String line) {
        if (closed || !queue.offer(new Line(log, line))) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("access log queue is full ({} lines): {} lines dropped so far", QUEUE_CAPACITY, n);
            }
        }
    }

    /** Lines dropped because the queue was full. */
    public long droppedLines() {
        return dropped.get();
    }

    /** USR1: reopen every file once the lines queued before this call are written. */
    public void reopen() {
        control(() -> {
            for (Map.Entry<Path, OpenFile> e : files.entrySet()) {
                closeQuietly(e.getKey(), e.getValue());
                try {
                    e.setValue(openFile(e.getKey(), e.getValue().buffered ? 64 * 1024 : 0, e.getValue().flushMs));
                } catch (IOException ex) {
                    LOG.error("reopening access log: {}", ex.getMessage());
                }
            }
        });
    }

    /** Blocks until every line queued before this call is written and flushed. */
    public void sync() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        control(() -> {
            flushAll(true);
            done.countDown();
        });
        if (!done.await(10, TimeUnit.SECONDS)) {
            LOG.warn("access log writer did not flush within 10s");
        }
    }

    private void control(Runnable action) {
        try {
            queue.put(new Control(action));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Map<Path, OpenFile> touched = new HashMap<>();
        while (true) {
            Item item;
            try {
                item = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (item == null) {
                if (closed) {
                    break;
                }
                flushDue();
                continue;
            }
            handle(item, touched);
            Item more;
            while ((more = queue.poll()) != null) {
                handle(more, touched);
            }
            for (Map.Entry<Path, OpenFile> e : touched.entrySet()) {
                if (!e.getValue().buffered) {
                    flush(e.getKey(), e.getValue());
                }
            }
            touched.clear();
            flushDue();
        }
        flushAll(true);
        files.forEach(AccessLogWriter::closeQuietly);
        files.clear();
    }

    private void handle(Item item, Map<Path, OpenFile> touched) {
        if (item instanceof Control c) {
            flushAll(true);
            c.action().run();
            return;
        }
        Line line = (Line) item;
        OpenFile f = files.get(line.log().path());
        if (f == null) {
            return;
        }
        try {
            f.out.write(LineBytes.of(line.text()));
            if (f.dirtySinceMs < 0) {
                f.dirtySinceMs = System.currentTimeMillis();
            }
            touched.put(line.log().path(), f);
        } catch (IOException e) {
            LOG.error("writing access log \"{}\" failed: {}", line.log().path(), e.getMessage());
        }
    }

    private void flushDue() {
        long now = System.currentTimeMillis();
        files.forEach((p, f) -> {
            if (f.dirtySinceMs >= 0 && now - f.dirtySinceMs >= f.flushMs) {
                flush(p, f);
            }
        });
    }

    private void flushAll(boolean force) {
        files.forEach((p, f) -> {
            if (force || !f.buffered) {
                flush(p, f);
            }
        });
    }

    private static void flush(Path p, OpenFile f) {
        try {
            f.out.flush();
            f.dirtySinceMs = -1;
        } catch (IOException e) {
            LOG.error("writing access log \"{}\" failed: {}", p, e.getMessage());
        }
    }

    private static void closeQuietly(Path p, OpenFile f) {
        try {
            f.out.close();
        } catch (IOException e) {
            LOG.error("closing access log \"{}\" failed: {}", p, e.getMessage());
        }
    }

    /** Writes what is queued, closes every file and stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line's bytes: chars up to 0xFF are bytes (request data), others UTF-8 (configuration text). */
    static final class LineBytes {
        private LineBytes() {
        }

        static byte[] of(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 1);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c <= 0xff) {
                    out.write(c);
                } else {
                    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    out.write(b, 0, b.length);
                }
            }
            out.write('\n');
            return out.toByteArray();
        }
    }
}
