/**
 * Cluster members from DNS: {@code zone_sync_server name:port resolve} with a {@code resolver}.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.zonesync.net.dns.DnsLookup}: name to A/AAAA records with TTLs, per family
 *       ANSWER / NO_SUCH_NAME / FAILED. {@link io.zonesync.net.dns.NettyDnsLookup} asks the
 *       configured name servers in turn; tests answer it by hand.</li>
 *   <li>{@link io.zonesync.sync.discovery.DnsMembership}: looks each name up on the
 *       {@link io.zonesync.net.dns.RefreshPolicy}'s schedule and reports the whole member set's
 *       changes to a {@link io.zonesync.sync.discovery.MembershipListener}, on its
 *       {@link io.zonesync.net.dns.Scheduler}'s thread.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Failures keep the last known set.</b> A timeout from every server, SERVFAIL, REFUSED or
 *       an unusable reply is not an answer: the family (A or AAAA) that failed keeps its last
 *       known addresses, while a family that did answer is updated. So a broken name server, or
 *       one that mishandles AAAA, never removes a node. Logged at error level once per outage
 *       (the name, the servers, what each did, the addresses kept), and as a notice when the name
 *       resolves again.</li>
 *   <li><b>Empty is a definite answer.</b> NXDOMAIN, or NOERROR without records of a family, empties
 *       that family's set: that is how an operator removes the last node (nginx also treats
 *       NXDOMAIN as "no addresses"). An empty answer has no TTL, so without {@code valid=} the name
 *       is asked again after 5 s.</li>
 *   <li><b>Schedule.</b> Every {@code valid=} when set, else the smallest record TTL (a CNAME's TTL
 *       counts), kept within 1 s and 60 s; after a failure, min(that, 5 s). One lookup per name is
 *       in flight at a time: a silent server delays the next lookup, it does not pile them up.</li>
 *   <li><b>Timeouts.</b> {@code resolver_timeout} bounds the wait for one server; then the next
 *       server is asked. A lookup fails when each server has failed once. (nginx instead resends
 *       every 5 s within one overall {@code resolver_timeout}.)</li>
 *   <li><b>No caching, no /etc/hosts, no search domains</b>: names are asked as written, every time
 *       the schedule says.</li>
 * </ul>
 */
package io.zonesync.sync.discovery;
