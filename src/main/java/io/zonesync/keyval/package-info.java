/**
 * keyval zones (http and stream): {@link io.zonesync.keyval.KeyvalZone} stores pairs under a byte
 * budget with expiry and type-specific lookup, stamps every local write for last-writer-wins
 * replication and keeps tombstones in sync zones; {@link io.zonesync.keyval.KeyvalStateFile} keeps
 * {@code state=} files as append-only journals ({@link io.zonesync.keyval.KeyvalJournal}) and reads
 * JSON ones ({@link io.zonesync.keyval.KeyvalJsonState}); {@link io.zonesync.keyval.KeyvalModule} and
 * {@link io.zonesync.keyval.KeyvalConfig} define and compile the directives.
 *
 * <p>Decisions where NGINX Plus is undocumented or where zonesync deliberately differs:
 * <ul>
 * <li>{@code sync} does not require {@code timeout}: deletes replicate as tombstones, so a key
 * removed on one node does not need a timeout to disappear elsewhere.</li>
 * <li>A full zone refuses the write (API 413 {@code KeyvalZoneFull}); nothing is evicted. Only
 * expired pairs and, if that makes the write fit, tombstones (oldest first) are reclaimed.</li>
 * <li>Minimum zone size 32k (8 pages), as nginx's shared zones; per-key cost 64 bytes + 32 for
 * ip/prefix zones + UTF-8 key and value.</li>
 * <li>A tombstone lives for the zone timeout (one hour without one), and at least as long as the
 * pair it deleted would have lived.</li>
 * <li>A second {@code keyval_zone} with the same name is an error even if identical, as in nginx.</li>
 * <li>A {@code sync} zone refuses (API 413 {@code KeyvalTooLarge}) a pair whose key and value do not
 * fit one {@code zone_sync_buffers} buffer, rather than storing a pair its peers never get.</li>
 * </ul>
 */
package io.zonesync.keyval;
