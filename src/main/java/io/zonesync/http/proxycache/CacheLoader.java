package io.zonesync.http.proxycache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a keys zone from its directory, as nginx's cache loader does: a background thread reads
 * the fixed lines of every metadata file and adds the keys it finds; until it is done, keys not yet
 * loaded are misses. Leftover temporary files are not touched (another configuration may be writing them).
 */
final class CacheLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CacheLoader.class);

    private CacheLoader() {
    }

    static void start(CacheZone zone) {
        zone.loading(true);
        Thread t = new Thread(() -> load(zone), "cache loader " + zone.path().zone());
        t.setDaemon(true);
        t.start();
    }

    static void load(CacheZone zone) {
        try {
            scan(zone);
        } finally {
            zone.loading(false);
        }
    }

    private static void scan(CacheZone zone) {
        Path dir = zone.path().dir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path temp = zone.path().tempDir();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> !f.startsWith(temp) && f.getFileName().toString().endsWith(CacheMeta.SUFFIX))
                    .forEach(f -> add(zone, f));
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.error("cache loader of \"{}\" could not read {}: {}", zone.path().zone(), dir, e.toString());
        }
    }

    private static void add(CacheZone zone, Path meta) {
        String name = meta.getFileName().toString();
        String hash = name.substring(0, name.length() - CacheMeta.SUFFIX.length());
        try {
            CacheMeta m = CacheMeta.read(meta, false);
            if (!zone.path().file(hash).equals(Path.of(meta.toString().substring(0,
                    meta.toString().length() - CacheMeta.SUFFIX.length())))) {
                return; // not where this zone's levels put it
            }
            List<String> evicted = new ArrayList<>();
            zone.loaded(hash, m.validUntil(), m.length(), evicted);
            CacheFiles.delete(zone.path(), evicted);
        } catch (IOException e) {
            LOG.warn("cache loader skips {}: {}", meta, e.getMessage());
        }
    }
}
