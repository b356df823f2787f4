package io.zonesync.http.limitconn;

import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.LogHandler;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.log.Severity;
import io.zonesync.net.LimitConnZone;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit_conn check of one location, in nginx's preaccess phase: for each rule in order, the
 * request takes one place under its key (an empty key takes none; one over 255 bytes is skipped
 * with nginx's info line), and a rule whose key holds its number of places already refuses it
 * with {@code limit_conn_status}, logged at {@code limit_conn_log_level} (in a dry run, counted as
 * refused and let through). A request is checked once, in the first location that counts one of
 * its keys, as in nginx ({@code $limit_conn_status} stays empty while no key was counted); its
 * places go back when it ends ({@link #RELEASE}). Each zone counts what it decided: a place taken
 * is passed, a refusal rejected (or rejected in a dry run).
 */
final class LimitConnHandler implements AccessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LimitConnHandler.class);
    private static final int MAX_KEY = 255;

    /** {@code $limit_conn_status}. */
    enum Status { PASSED, REJECTED, REJECTED_DRY_RUN }

    static final AttributeKey<Status> STATUS = AttributeKey.named("limit_conn_status");
    private static final AttributeKey<List<Held>> HELD = AttributeKey.named("limit_conn places");

    record Rule(LimitConnZone zone, ComplexValue key, int limit) {
    }

    private record Held(LimitConnZone zone, String key) {
    }

    /** Gives back the places a request holds; a server-level log handler, so it runs for every request. */
    static final LogHandler RELEASE = ex -> {
        List<Held> held = ex.attribute(HELD);
        if (held != null) {
            ex.setAttribute(HELD, null);
            for (Held h : held) {
                h.zone().release(h.key());
            }
        }
    };

    private final List<Rule> rules;
    private final int status;
    private final Severity level;
    private final boolean dryRun;

    LimitConnHandler(List<Rule> rules, int status, Severity level, boolean dryRun) {
        this.rules = List.copyOf(rules);
        this.status = status;
        this.level = level;
        this.dryRun = dryRun;
    }

    @Override
    public Phase phase() {
        return Phase.PREACCESS;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        if (ex.attribute(STATUS) != null) {
            return AccessDecision.proceed(); // limited in an earlier location already
        }
        for (Rule r : rules) {
            String key = r.key().evaluate(ex);
            if (key.isEmpty()) {
                continue;
            }
            if (key.length() > MAX_KEY) {
                LOG.info(ex.errorLog(), "the value of the \"{}\" key is more than {} bytes: \"{}\"",
                        r.key().source(), MAX_KEY, key);
                continue;
            }
            ex.setAttribute(STATUS, Status.PASSED); // as nginx: set once a key is counted
            LimitConnZone.Result result = r.zone().acquire(key, r.limit());
            if (result == LimitConnZone.Result.ACQUIRED) {
                r.zone().counts().passed();
                held(ex).add(new Held(r.zone(), key));
                continue;
            }
            r.zone().counts().rejected(dryRun);
            String client = CoreVariables.addressText(ex.remoteAddress());
            if (result == LimitConnZone.Result.NO_MEMORY) {
                level.log(LOG, ex.errorLog(), "could not allocate node in limit_conn_zone \"{}\", client: {}",
                        r.zone().name(), client);
            } else {
                level.log(LOG, ex.errorLog(),
                        "limiting connections{} by zone \"{}\", client: {}, server: {}, request: \"{} {}\"",
                        dryRun ? ", dry run," : "", r.zone().name(), client, ex.serverName(), ex.method(),
                        ex.requestUri());
            }
            RELEASE.requestEnded(ex); // nginx frees what this request took before it answers (or, dry, goes on)
            if (dryRun) {
                ex.setAttribute(STATUS, Status.REJECTED_DRY_RUN);
                return AccessDecision.proceed();
            }
            ex.setAttribute(STATUS, Status.REJECTED);
            return AccessDecision.respond(status);
        }
        return AccessDecision.proceed();
    }

    private static List<Held> held(HttpExchange ex) {
        List<Held> held = ex.attribute(HELD);
        if (held == null) {
            held = new ArrayList<>(2);
            ex.setAttribute(HELD, held);
        }
        return held;
    }
}
