package io.zonesync.http.proxycache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Carries out a peer's purge on this node's cache files: removes the entry of a key, or every
 * entry whose key starts with a wildcard's prefix, but only entries stored (their metadata file
 * written) at or before a given time, so that what this node cached after the purge stays. A
 * wildcard reads the metadata of every key of the keys zone, or, while the loader is still
 * filling it, of every entry in the directory, so entries not loaded yet are found too. Blocking
 * file work: run on the purge zone's own thread.
 */
final class CachePurger {
    private CachePurger() {
    }

    /** Removes from {@code cache} what the purge of {@code key} matches among entries stored up to {@code storedUpTo} (epoch ms). */
    static void remove(CacheZone cache, String key, long storedUpTo) {
        List<String> hashes = new ArrayList<>();
        if (key.endsWith("*")) {
            String prefix = key.substring(0, key.length() - 1);
            for (String hash : cache.loading() ? onDisk(cache) : cache.keys()) {
                if (matches(Path.of(cache.path().file(hash) + CacheMeta.SUFFIX), prefix, true, storedUpTo)) {
                    hashes.add(hash);
                }
            }
        } else {
            String hash = CachePolicy.md5(key);
            if (matches(Path.of(cache.path().file(hash) + CacheMeta.SUFFIX), key, false, storedUpTo)) {
                hashes.add(hash);
            }
        }
        hashes.forEach(cache::forget);
        CacheFiles.delete(cache.path(), hashes);
    }

    /** The hashes of the entries in the cache directory (while the loader has not read them all into the zone). */
    private static List<String> onDisk(CacheZone cache) {
        List<String> out = new ArrayList<>();
        Path dir = cache.path().dir();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        Path temp = cache.path().tempDir();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> !f.startsWith(temp) && f.getFileName().toString().endsWith(CacheMeta.SUFFIX))
                    .forEach(meta -> {
                        String name = meta.getFileName().toString();
                        out.add(name.substring(0, name.length() - CacheMeta.SUFFIX.length()));
                    });
        } catch (IOException | UncheckedIOException e) {
            // a directory removed under us: what was read so far
        }
        return out;
    }

    /** Whether the metadata file holds {@code key} (or a key starting with it) and was written up to {@code storedUpTo}. */
    private static boolean matches(Path meta, String key, boolean prefix, long storedUpTo) {
        try {
            long stored = Files.getLastModifiedTime(meta).toMillis();
            if (stored > storedUpTo) {
                return false;
            }
            String k = CacheMeta.read(meta, false).key();
            return prefix ? k.startsWith(key) : k.equals(key);
        } catch (IOException e) {
            return false; // not cached here, or removed meanwhile
        }
    }
}
