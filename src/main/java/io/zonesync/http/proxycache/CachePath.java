package io.zonesync.http.proxycache;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code proxy_cache_path} line: the directory, its {@code levels} (subdirectory name lengths,
 * taken from the end of the key's hash), the keys zone's name and size, {@code inactive} and
 * {@code max_size} (0: unbounded). Temporary files are always written inside the cache directory
 * ({@code use_temp_path=off}); the cache manager and loader tunings are refused.
 */
record CachePath(Path dir, List<Integer> levels, String zone, long zoneBytes, long inactiveMs, long maxSize) {
    private static final long DEFAULT_INACTIVE_MS = 600_000;

    /** Parses the line; a relative path is taken from {@code prefix}, as nginx does. */
    static CachePath parse(Directive d, Path prefix) throws ConfigException {
        Path dir = prefix.resolve(d.arg(0));
        List<Integer> levels = List.of();
        String zone = null;
        long zoneBytes = 0;
        long inactive = DEFAULT_INACTIVE_MS;
        long maxSize = 0;
        for (String a : d.args().subList(1, d.argCount())) {
            String v;
            if ((v = Values.param(a, "levels")) != null) {
                levels = levels(d, v);
            } else if ((v = Values.param(a, "keys_zone")) != null) {
                Values.ZoneSpec z = Values.zone(d, v);
                zone = z.name();
                zoneBytes = z.sizeBytes();
            } else if ((v = Values.param(a, "inactive")) != null) {
                inactive = Values.timeMs(d, v);
            } else if ((v = Values.param(a, "max_size")) != null) {
                maxSize = Values.size(d, v);
            } else if (a.equals("sync")) {
                continue; // its purges are shared: see synced
            } else if ((v = Values.param(a, "use_temp_path")) != null) {
                if (!v.equals("off")) {
                    throw d.error("\"use_temp_path=%s\" is not supported: cache files are always written in the cache"
                            + " directory (use_temp_path=off)", v);
                }
            } else {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (List.of("min_free", "manager_files", "manager_sleep", "manager_threshold", "loader_files",
                        "loader_sleep", "loader_threshold", "purger", "purger_files", "purger_sleep",
                        "purger_threshold").contains(name)) {
                    throw d.error("\"%s\" is not supported in \"proxy_cache_path\"", name);
                }
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (zone == null) {
            throw d.error("\"proxy_cache_path\" must have \"keys_zone\" parameter");
        }
        return new CachePath(dir, levels, zone, zoneBytes, inactive, maxSize);
    }

    /** Whether the line has the {@code sync} parameter: its zone's purges are made on every node ({@link CachePurges}). */
    static boolean synced(Directive d) {
        return d.args().subList(1, d.argCount()).contains("sync");
    }

    private static List<Integer> levels(Directive d, String v) throws ConfigException {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(":", -1)) {
            if (!part.equals("1") && !part.equals("2")) {
                throw d.error("invalid \"levels\" \"levels=%s\"", v);
            }
            out.add(Integer.parseInt(part));
        }
        if (out.size() > 3) {
            throw d.error("invalid \"levels\" \"levels=%s\"", v);
        }
        return List.copyOf(out);
    }

    /** The file of a key's hash: subdirectories from the hash's end, as nginx lays them out. */
    Path file(String hash) {
        Path p = dir;
        int end = hash.length();
        for (int n : levels) {
            p = p.resolve(hash.substring(end - n, end));
            end -= n;
        }
        return p.resolve(hash);
    }

    /** Where responses are written while they arrive. */
    Path tempDir() {
        return dir.resolve("tmp");
    }
}
