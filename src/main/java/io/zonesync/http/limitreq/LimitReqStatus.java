package io.zonesync.http.limitreq;

/** What limit_req did to a request: the values of {@code $limit_req_status}. */
public enum LimitReqStatus {
    PASSED,
    DELAYED,
    REJECTED,
    DELAYED_DRY_RUN,
    REJECTED_DRY_RUN
}
