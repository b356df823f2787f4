package io.zonesync.keyval;

import io.zonesync.config.SourceLocation;
import java.nio.file.Path;

/**
 * A compiled {@code keyval_zone}: name, size in bytes, type, timeout in ms (0 = none), the state
 * file made absolute against the prefix (null = none), the sync flag, and where it was declared.
 */
public record KeyvalZoneConf(String name, long sizeBytes, KeyvalType type, long timeoutMs, Path stateFile,
        boolean sync, SourceLocation where) {

    /** Whether a zone built from {@code other} can keep this zone's contents on reload. */
    public boolean sameShapeAs(KeyvalZoneConf other) {
        return name.equals(other.name) && type == other.type && sync == other.sync;
    }
}
