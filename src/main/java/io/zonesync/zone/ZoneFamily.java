package io.zonesync.zone;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One kind of shared-memory zone (keyval, sticky learn sessions, limit_req, ...): which zones a
 * configuration declares, whether a reload keeps a zone with its contents or makes it anew, the
 * replica the sync engine gets for a {@code sync} zone, and its upkeep. The node's zone table runs
 * every family the same way; a new kind of zone is its own package plus one line where the
 * families are listed. Zone names are one namespace across families, as in nginx.
 *
 * @param <D> what a configuration says of one zone
 * @param <Z> the zone
 */
public interface ZoneFamily<D, Z> {

    /** A family's zones of one configuration, looked up by this key: typed, one per family. */
    record Key<Z>(String name) {
    }

    /**
     * What a committed configuration gives its zones: how many key and payload bytes one record of
     * a zone may carry in a sync frame ({@code zone_sync_buffers}), and a thread for timed work.
     */
    record Commit(RecordRoom recordRoom, ScheduledExecutorService executor) {
    }

    /** The key and payload bytes one record of a zone of this type fits in a sync frame. */
    @FunctionalInterface
    interface RecordRoom {
        long bytes(String zoneName, ZoneType type);
    }

    Key<Z> key();

    /** The zones {@code config} declares, in the order written, checked (FILE:LINE errors). */
    List<D> declare(ParsedConfig config) throws ConfigException;

    String zoneName(D declared);

    SourceLocation where(D declared);

    /** Whether the zone is replicated ({@code sync}). */
    boolean synced(D declared);

    /**
     * The zone for a declaration: {@code kept}, this family's zone of that name now (null if none),
     * when the declaration allows keeping its contents, else a new one. Changes nothing: the
     * configuration may still fail. Throws when a reload may not change the zone that way.
     */
    Z zoneFor(D declared, Z kept) throws ConfigException;

    /** The zone's replica for the sync engine; the table makes one per zone and keeps it across reloads. */
    ReplicatedZone<?> replicaOf(Z zone);

    /**
     * What {@code -t} checks of the files {@link #commit} would open for the declaration (a state
     * file's directory, its contents), without opening or changing them; FILE:LINE errors.
     */
    default void check(D declared) throws ConfigException {
    }

    /**
     * The declaration is in force: a kept zone takes what may change without a restart (a rate, the
     * largest record a sync frame carries), and files the zone keeps open are opened. On an
     * exception, the zones opened by this commit are {@link #release}d and the old configuration
     * stays.
     */
    default void commit(D declared, Z zone, Commit context) throws IOException {
    }

    /** The zone is no longer configured, or the node stops: close what it keeps open. */
    default void release(Z zone) {
    }

    /** Drops what expired; called every second. */
    default void expire(Z zone) {
    }
}
