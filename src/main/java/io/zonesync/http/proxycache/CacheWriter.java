package io.zonesync.http.proxycache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's response stream with the body also written to a temporary file in the cache
 * directory as it passes; when the body is complete the file and its metadata are renamed into
 * place and the keys zone learns of them. An aborted body, or a write error, leaves nothing cached.
 * Called on the request's event loop.
 */
final class CacheWriter implements ResponseStream {
    private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);

    private final ResponseStream out;
    private final CacheZone zone;
    private final String hash;
    private final CacheMeta meta;
    private final Path temp;
    private FileChannel file;
    private long length;

    private CacheWriter(ResponseStream out, CacheZone zone, String hash, CacheMeta meta, Path temp, FileChannel file) {
        this.out = out;
        this.zone = zone;
        this.hash = hash;
        this.meta = meta;
        this.temp = temp;
        this.file = file;
    }

    /** A writer for the response, or {@code out} itself if no temporary file can be made. */
    static ResponseStream open(ResponseStream out, CacheZone zone, String hash, CacheMeta meta) {
        Path tempDir = zone.path().tempDir();
        Path temp = tempDir.resolve(hash + "." + UUID.randomUUID());
        try {
            Files.createDirectories(tempDir);
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new CacheWriter(out, zone, hash, meta, temp, ch);
        } catch (IOException e) {
            LOG.error("cannot create cache file {}: {}", temp, e.toString());
            return out;
        }
    }

    @Override
    public Future<Void> write(ByteBuf data) {
        if (file != null) {
            try {
                int n = data.readableBytes();
                data.getBytes(data.readerIndex(), file, length, n);
                length += n;
            } catch (IOException e) {
                LOG.error("cannot write cache file {}: {}", temp, e.toString());
                discard();
            }
        }
        return out.write(data);
    }

    @Override
    public boolean isWritable() {
        return out.isWritable();
    }

    @Override
    public void whenWritable(Runnable task) {
        out.whenWritable(task);
    }

    @Override
    public void end(HttpHeaders trailers) {
        out.end(trailers);
        if (file == null) {
            return;
        }
        try {
            file.close();
            file = null;
            Path body = zone.path().file(hash);
            Files.createDirectories(body.getParent());
            Path metaTemp = Path.of(temp + CacheMeta.SUFFIX);
            new CacheMeta(meta.key(), meta.validUntil(), meta.status(), length, meta.headers()).write(metaTemp);
            Files.move(temp, body, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(metaTemp, Path.of(body + CacheMeta.SUFFIX), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            List<String> evicted = new ArrayList<>();
            zone.stored(hash, meta.validUntil(), length, evicted);
            CacheFiles.delete(zone.path(), evicted);
        } catch (IOException e) {
            LOG.error("cannot store cache file {}: {}", temp, e.toString());
            discard();
        }
    }

    @Override
    public void abort() {
        discard();
        out.abort();
    }

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
