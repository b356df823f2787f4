package io.zonesync.keyval;

/**
 * Told about changes to a zone, after they are made and outside the zone's lock. Sync implements
 * {@link #localChange} to push the key to peers; the state file implements both to save.
 * Implementations must be quick and must not throw.
 */
public interface KeyvalListener {
    /** A write, delete or clear made on this node (API, variable assignment). Not called for expiry. */
    void localChange(KeyvalZone zone, String key);

    /** A change applied from a peer by {@link KeyvalZone#applyRemote}; never to be pushed again. */
    default void remoteChange(KeyvalZone zone, String key) {
    }
}
