package io.zonesync.sync.clock;

import java.security.SecureRandom;

/** Node ids: 64 random bits drawn once per process start, never 0 (doc/protocol.md section 3.1). */
public final class NodeId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeId() {
    }

    public static long random() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        return id;
    }

    /** Sixteen hex digits, as logs show a node id. */
    public static String format(long id) {
        return String.format("%016x", id);
    }
}
