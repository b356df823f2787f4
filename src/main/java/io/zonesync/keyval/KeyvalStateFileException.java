package io.zonesync.keyval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A keyval state file that cannot be used: unreadable, not JSON, wrong shape, or holding pairs that
 * do not fit the zone. The node refuses to start with it, as with a configuration error. The
 * message names the file, the zone and what is wrong.
 */
public final class KeyvalStateFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public KeyvalStateFileException(Path file, String zone, String problem, Throwable cause) {
        super("state file \"" + file + "\" of keyval zone \"" + zone + "\" " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
