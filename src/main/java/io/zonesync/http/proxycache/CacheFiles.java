package io.zonesync.http.proxycache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Deletes the body and metadata files of evicted or unreadable keys. */
final class CacheFiles {
    private CacheFiles() {
    }

    static void delete(CachePath path, List<String> hashes) {
        for (String hash : hashes) {
            Path body = path.file(hash);
            try {
                Files.deleteIfExists(Path.of(body + CacheMeta.SUFFIX));
                Files.deleteIfExists(body);
            } catch (IOException e) {
                // a file another process removed, or a directory it cannot write: the loader retries at start
            }
        }
    }
}
