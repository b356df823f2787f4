/**
 * Looking names up in DNS for whatever follows a name's addresses over time (zone_sync's
 * {@code zone_sync_server ... resolve}, an upstream's {@code server ... resolve}).
 *
 * <ul>
 *   <li>{@link io.zonesync.net.dns.DnsLookup}: a name to its A/AAAA (or SRV) records with TTLs,
 *       per family ANSWER / NO_SUCH_NAME / FAILED; {@link io.zonesync.net.dns.NettyDnsLookup} asks
 *       the {@code resolver}'s name servers in turn, with no cache, no /etc/hosts and no search
 *       domains.</li>
 *   <li>{@link io.zonesync.net.dns.RefreshPolicy}: when to ask again ({@code valid=}, else the
 *       smallest TTL within 1 s and 60 s; sooner after a failure).</li>
 *   <li>{@link io.zonesync.net.dns.Scheduler}: the one thread the callers' timers and answers run on.</li>
 *   <li>{@link io.zonesync.net.dns.ResolverZones}: the node's resolver status zones
 *       ({@code status_zone=}), a {@link io.zonesync.net.dns.ResolverStats} per name counting every
 *       query sent and its outcome; the API and the metrics page read them.</li>
 * </ul>
 */
package io.zonesync.net.dns;
