package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.zonesync.http.core.ResponseStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's response stream with the body also written to a temporary file in the cache
 * directory as it passes; when the body is complete the file and its metadata are renamed into
 * place, the keys zone learns of them, and only then does the client get the body's last piece
 * (each piece goes on when the next arrives), so a client that has the whole response finds the
 * entry with its next request. An aborted body, or a write error, leaves nothing cached. The file is
 * created, written and renamed on {@link CacheIo}, in order, never on the event loop; while more
 * than {@link #BEHIND} bytes wait for the disk the stream says it is not writable, so a slow disk
 * holds back the upstream as a slow client does.
 */
final class CacheWriter implements ResponseStream {
    private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);
    /** How many bytes may wait for the disk before the stream holds the upstream back. */
    static final long BEHIND = 1024 * 1024;

    private final ResponseStream out;
    private final EventLoop loop;
    private final CacheZone zone;
    private final String hash;
    private final CacheMeta meta;
    /** The status of the request whose response is stored, under which the written file is counted. */
    private final CacheStatus status;
    private final Path temp;
    /** The disk work so far, in order; each step runs on the pool after the one before. */
    private CompletableFuture<Void> chain;
    /** Touched on the pool only. */
    private FileChannel file;
    private volatile boolean failed;
    private long length;
    /** Bytes handed to the pool and not written yet (event loop). */
    private long pending;
    private Runnable whenCaughtUp;
    /** The last piece, held until the next one or the stored entry (event loop). */
    private ByteBuf held;
    private Promise<Void> heldWritten;

    private CacheWriter(ResponseStream out, EventLoop loop, CacheZone zone, String hash, CacheMeta meta,
            CacheStatus status) {
        this.status = status;
        this.out = out;
        this.loop = loop;
        this.zone = zone;
        this.hash = hash;
        this.meta = meta;
        this.temp = zone.path().tempDir().resolve(hash + "." + UUID.randomUUID());
        this.chain = CompletableFuture.runAsync(this::create, CacheIo.executor());
    }

    /** A writer teeing the response in {@code out} (on {@code loop}) into the cache as {@code hash}. */
    static ResponseStream open(ResponseStream out, EventLoop loop, CacheZone zone, String hash, CacheMeta meta,
            CacheStatus status) {
        try {
            return new CacheWriter(out, loop, zone, hash, meta, status);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.error("cannot create cache file in {}: too much disk work queued", zone.path().tempDir());
            return out;
        }
    }

    private void create() {
        try {
            Files.createDirectories(temp.getParent());
            file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.error("cannot create cache file {}: {}", temp, e.toString());
            failed = true;
        }
    }

    /** Adds disk work after what is queued; a queue that is full fails the entry. */
    private void then(Runnable step) {
        try {
            chain = chain.thenRunAsync(step, CacheIo.executor());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failed = true;
        }
    }

    @Override
    public Future<Void> write(ByteBuf data) {
        if (!failed) {
            ByteBuf copy = data.retainedDuplicate();
            int n = copy.readableBytes();
            long at = length;
            length += n;
            pending += n;
            then(() -> {
                try {
                    if (!failed) {
                        copy.getBytes(copy.readerIndex(), file, at, n);
                    }
                } catch (IOException e) {
                    LOG.error("cannot write cache file {}: {}", temp, e.toString());
                    failed = true;
                } finally {
                    copy.release();
                    loop.execute(() -> written(n));
                }
            });
        }
        passHeld();
        held = data;
        heldWritten = loop.newPromise();
        return heldWritten;
    }

    /** The held piece goes to the client; its writer learns how that went. */
    private void passHeld() {
        if (held == null) {
            return;
        }
        Promise<Void> p = heldWritten;
        out.write(held).addListener(f -> {
            if (f.isSuccess()) {
                p.trySuccess(null);
            } else {
                p.tryFailure(f.cause());
            }
        });
        held = null;
        heldWritten = null;
    }

    /** On the loop: {@code n} bytes reached the disk; a held-back upstream may go on. */
    private void written(long n) {
        pending -= n;
        if (pending < BEHIND && whenCaughtUp != null) {
            Runnable task = whenCaughtUp;
            whenCaughtUp = null;
            task.run();
        }
    }

    @Override
    public boolean isWritable() {
        return out.isWritable() && pending < BEHIND;
    }

    @Override
    public void whenWritable(Runnable task) {
        out.whenWritable(() -> {
            if (pending < BEHIND) {
                task.run();
            } else {
                whenCaughtUp = task;
            }
        });
    }

    @Override
    public void end(HttpHeaders trailers) {
        then(this::store);
        chain.whenComplete((v, e) -> loop.execute(() -> {
            passHeld();
            out.end(trailers);
        }));
    }

    /** On the pool, after the last write: the body and its metadata renamed into place. */
    private void store() {
        if (failed || file == null) {
            discard();
            return;
        }
        try {
            file.close();
            file = null;
            Path body = zone.path().file(hash);
            Files.createDirectories(body.getParent());
            Path metaTemp = Path.of(temp + CacheMeta.SUFFIX);
            meta.withLength(length).write(metaTemp);
            Files.move(temp, body, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(metaTemp, Path.of(body + CacheMeta.SUFFIX), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            List<String> evicted = new ArrayList<>();
            zone.stored(hash, meta.validUntil(), length, evicted);
            if (status != null) {
                zone.stats().written(status, length);
            }
            CacheFiles.delete(zone.path(), evicted);
        } catch (IOException e) {
            LOG.error("cannot store cache file {}: {}", temp, e.toString());
            discard();
        }
    }

    @Override
    public void abort() {
        if (held != null) {
            held.release();
            heldWritten.tryFailure(new java.io.IOException("response aborted"));
            held = null;
        }
        failed = true;
        then(this::discard);
        out.abort();
    }

    /** On the pool: the temporary files go. */
    private void discard() {
        try {
            if (file != null) {
                file.close();
            }
            file = null;
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + CacheMeta.SUFFIX));
        } catch (IOException e) {
            LOG.warn("cannot delete cache temporary file {}: {}", temp, e.toString());
        }
    }
}
