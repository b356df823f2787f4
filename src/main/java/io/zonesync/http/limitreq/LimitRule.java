package io.zonesync.http.limitreq;

import io.zonesync.http.vars.ComplexValue;

/**
 * One {@code limit_req} of a location: the zone, the zone's key compiled for this configuration,
 * and {@code burst} and {@code delay} in milli-requests ({@code nodelay} is {@link #NO_DELAY}).
 */
public record LimitRule(LimitReqZone zone, ComplexValue key, long burst, long delay) {
    /** nginx's {@code NGX_MAX_INT_T_VALUE / 1000}, times 1000: no request is ever delayed. */
    public static final long NO_DELAY = Long.MAX_VALUE / 1000 * 1000;
}
