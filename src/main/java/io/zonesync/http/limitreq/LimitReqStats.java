package io.zonesync.http.limitreq;

/** A zone's request counters as the API shows them ({@code /api/N/http/limit_reqs/{zone}}, version 6+). */
public record LimitReqStats(long passed, long delayed, long rejected, long delayedDryRun, long rejectedDryRun) {
}
