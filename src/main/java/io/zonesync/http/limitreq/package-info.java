/**
 * limit_req: {@code limit_req_zone}, {@code limit_req}, {@code limit_req_status},
 * {@code limit_req_log_level}, {@code limit_req_dry_run} and {@code $limit_req_status}, with nginx's
 * arithmetic ({@link io.zonesync.http.limitreq.LimitReqZone}: milli-requests, monotonic ms, LRU and
 * 60 s idle expiry under a byte budget), its multi-limit order
 * ({@link io.zonesync.http.limitreq.LimitReqPolicy}) and additive cluster sync
 * ({@link io.zonesync.http.limitreq.LimitReqReplica}, doc/protocol.md 5.3 and 7).
 *
 * <p>Decisions where nginx or NGINX Plus says nothing, or where zonesync differs:
 * <ul>
 * <li>Sync ships running counts of accepted requests, not deltas taken at encoding: the engine reads a
 * key once per link and again for a record that did not fit its frame, and a take-and-reset delta
 * would reach one peer only or be lost with the frame. If a link drops with records unsent, the
 * peer gets the count on the next record or in the snapshot when the link returns, capped at the
 * sender's own level plus one request so a backlog does not land at once.</li>
 * <li>A peer's requests are charged when it accepted them, not when their record arrives (its
 * {@code idle} plus the record's time in flight, read from its stamp against the local wall clock,
 * at most 100 ms): an empty bucket that waited for them drains them over that wait. Charged on
 * arrival, each remote request cost up to a request's worth of drain, and without a burst a cluster
 * under load passed as little as two thirds of its rate. Clocks that disagree by more than a few
 * milliseconds move this by at most 100 ms of drain per record; synchronised clocks are assumed.</li>
 * <li>The first record of a sender's state for a key (a new key, a new link) sets where its count
 * starts and merges its level by max; the requests it counted before are in that level. So a key
 * new on one node while another already holds it loses at most one request per node, like nginx's
 * free first request.</li>
 * <li>Memory: 128 bytes per state plus the key (nginx's documented figure), plus 16 bytes per peer
 * whose count a state remembers (at most 32 peers per key). A remote record that finds no room is
 * not merged (logged at most once a minute).</li>
 * <li>API counts: a passed request counts {@code passed} in every zone that charged it; a delayed
 * one {@code delayed} in the zone that set the delay and {@code passed} in the others it charged;
 * a rejected one {@code rejected} in the zone that rejected it only (the others were not charged).
 * Dry run the same with the dry-run counters. A request that found no memory counts as rejected,
 * with {@code limit_req_status}, as nginx answers it.</li>
 * <li>A {@code limit_req} naming an undeclared zone fails as nginx does ("zero size shared memory
 * zone"), with FILE:LINE of the {@code limit_req}.</li>
 * <li>A delayed request waits on a timer of its event loop; if the client goes away meanwhile, the
 * timer finds the exchange finished and does nothing.</li>
 * </ul>
 */
package io.zonesync.http.limitreq;
