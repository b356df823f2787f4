package io.zonesync.http.limitreq;

import io.zonesync.http.vars.RequestView;
import io.zonesync.log.Severity;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit_req settings of one location and the decision for one request, step for step as nginx's
 * preaccess handler: the limits in configuration order, a limit with an empty key skipped, every
 * limit but the last only checked and pinned, the last charged; the first rejection ends the walk,
 * lets the pinned states go and charges nothing; otherwise the earlier limits are charged in reverse
 * order and the largest delay wins.
 *
 * @param status {@code limit_req_status}, 503 by default
 * @param logLevel {@code limit_req_log_level} for rejections; delays log one level lower
 */
public record LimitReqPolicy(List<LimitRule> rules, int status, Severity logLevel, boolean dryRun) {
    private static final Logger LOG = LoggerFactory.getLogger("limit_req");
    static final int MAX_KEY_BYTES = 65535;

    public LimitReqPolicy {
        rules = List.copyOf(rules);
    }

    /**
     * What limit_req decided for a request.
     *
     * @param status the value of {@code $limit_req_status}, null when no limit applied
     * @param delayMs how long to hold the request (0 unless DELAYED)
     * @param httpStatus the status to answer with for REJECTED, else 0
     */
    public record Decision(LimitReqStatus status, long delayMs, int httpStatus) {
        static final Decision NONE = new Decision(null, 0, 0);
    }

    /** Decides, charges the zones and counts the outcome; logs rejections and delays. */
    public Decision decide(RequestView request) {
        int count = rules.size();
        LimitReqState[] pinned = new LimitReqState[count];
        LimitReqZone.Outcome rc = null;
        long excess = 0;
        int n;
        LimitRule limit = null;
        for (n = 0; n < count; n++) {
            limit = rules.get(n);
            String value = limit.key().evaluate(request);
            if (value == null || value.isEmpty()) {
                continue;
            }
            LimitKey key = LimitKey.of(value);
            if (key.length() > MAX_KEY_BYTES) {
                LOG.error(request.errorLog(), "the value of the \"{}\" key is more than {} bytes: \"{}\"{}",
                        limit.key().source(),
                        MAX_KEY_BYTES, key, request.errorContext());
                continue;
            }
            LimitReqZone.Lookup l = limit.zone().lookup(key, limit.burst(), n == count - 1);
            rc = l.outcome();
            excess = l.excess();
            pinned[n] = l.pinned();
            if (rc != LimitReqZone.Outcome.AGAIN) {
                break;
            }
        }
        if (rc == null) {
            return Decision.NONE;
        }
        if (rc == LimitReqZone.Outcome.BUSY || rc == LimitReqZone.Outcome.ERROR) {
            if (rc == LimitReqZone.Outcome.BUSY) {
                logLevel.log(LOG, request.errorLog(), "limiting requests{}, excess: {} by zone \"{}\"{}",
                        dryRun ? ", dry run" : "",
                        milli(excess), limit.zone().name(), request.errorContext());
            }
            for (int i = 0; i < n; i++) {
                if (pinned[i] != null) {
                    rules.get(i).zone().release(pinned[i]);
                }
            }
            LimitReqStatus s = dryRun ? LimitReqStatus.REJECTED_DRY_RUN : LimitReqStatus.REJECTED;
            limit.zone().count(s);
            return new Decision(s, 0, dryRun ? 0 : status);
        }
        if (rc == LimitReqZone.Outcome.AGAIN) {
            excess = 0;
        }
        // account: the last limit looked at sets the first candidate, the pinned ones are charged in reverse
        LimitRule worst = limit;
        long worstExcess = excess;
        long maxDelay = delayOf(limit, excess);
        boolean[] charged = new boolean[count];
        if (rc == LimitReqZone.Outcome.OK) {
            charged[n] = true;
        }
        for (int i = Math.min(n, count) - 1; i >= 0; i--) {
            if (pinned[i] == null) {
                continue;
            }
            LimitRule r = rules.get(i);
            long e = r.zone().account(pinned[i]);
            charged[i] = true;
            long d = delayOf(r, e);
            if (d > maxDelay) {
                maxDelay = d;
                worst = r;
                worstExcess = e;
            }
        }
        LimitReqStatus s;
        if (maxDelay == 0) {
            s = LimitReqStatus.PASSED;
        } else {
            logLevel(true).log(LOG, request.errorLog(), "delaying request{}, excess: {}, by zone \"{}\"{}",
                    dryRun ? ", dry run" : "",
                    milli(worstExcess), worst.zone().name(), request.errorContext());
            s = dryRun ? LimitReqStatus.DELAYED_DRY_RUN : LimitReqStatus.DELAYED;
        }
        for (int i = 0; i < count; i++) {
            if (charged[i]) {
                LimitRule r = rules.get(i);
                r.zone().count(r == worst ? s : LimitReqStatus.PASSED);
            }
        }
        return new Decision(s, dryRun ? 0 : maxDelay, 0);
    }

    /** ms to wait for a level: the part above {@code delay}, drained at the zone's rate. */
    private static long delayOf(LimitRule r, long excess) {
        if (excess <= r.delay()) {
            return 0;
        }
        return (excess - r.delay()) * 1000 / r.zone().rate();
    }

    /** The level for delays: one below the configured one, but not below info. */
    Severity logLevel(boolean forDelay) {
        if (!forDelay) {
            return logLevel;
        }
        return switch (logLevel) {
            case ERROR -> Severity.WARN;
            case WARN -> Severity.NOTICE;
            default -> Severity.INFO;
        };
    }

    /** nginx prints the level as {@code integer.milli}: 1500 is "1.500". */
    static String milli(long excess) {
        return excess / 1000 + "." + String.format("%03d", excess % 1000);
    }
}
