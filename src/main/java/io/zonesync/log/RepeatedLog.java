package io.zonesync.log;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Keeps a failure that recurs (a dead peer at every retry, a client probing a port, a refused TLS
 * handshake) from filling the error log: the first occurrence of a key is written at once, later
 * ones within the interval are only counted, and at most once per interval a summary says how many
 * there were, as {@code MESSAGE (repeated N times in the last 60s)}, with the latest message. A key
 * with no occurrence for a whole interval starts afresh. Summaries come out with the next occurrence
 * after the interval, or from {@link #flush}, which the owner calls on a timer so that a burst that
 * stopped is still counted. Safe for any thread.
 */
public final class RepeatedLog {
    private final Logger logger;
    private final Severity severity;
    private final long intervalMs;
    private final Clock clock;
    private final Map<String, Run> runs = new HashMap<>();

    /** The occurrences of one key since its last written line. */
    private static final class Run {
        long since;
        long repeats;
        String latest;

        Run(long since) {
            this.since = since;
        }
    }

    public RepeatedLog(Logger logger, Severity severity, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.logger = logger;
        this.severity = severity;
        this.intervalMs = interval.toMillis();
        this.clock = clock;
    }

    /** The interval between two lines of one key. */
    public Duration interval() {
        return Duration.ofMillis(intervalMs);
    }

    /**
     * One occurrence of {@code key}: written when it is the first in an interval, else counted.
     *
     * @return whether a line was written (the message itself or a summary)
     */
    public boolean log(String key, String message) {
        String line;
        synchronized (this) {
            long now = clock.millis();
            Run run = runs.get(key);
            if (run == null) {
                runs.put(key, new Run(now));
                line = message;
            } else if (now - run.since < intervalMs) {
                run.repeats++;
                run.latest = message;
                return false;
            } else if (run.repeats == 0) {
                run.since = now;
                line = message;
            } else {
                line = summary(message, run.repeats + 1, now - run.since);
                run.since = now;
                run.repeats = 0;
                run.latest = null;
            }
        }
        severity.log(logger, "{}", line);
        return true;
    }

    /**
     * Writes the summary of every key whose interval is over with occurrences not yet written,
     * and forgets the keys that stayed quiet for a whole interval.
     */
    public void flush() {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            for (Iterator<Run> it = runs.values().iterator(); it.hasNext();) {
                Run run = it.next();
                if (now - run.since < intervalMs) {
                    continue;
                }
                if (run.repeats == 0) {
                    it.remove();
                    continue;
                }
                lines.add(summary(run.latest, run.repeats, now - run.since));
                run.since = now;
                run.repeats = 0;
                run.latest = null;
            }
        }
        lines.forEach(l -> severity.log(logger, "{}", l));
    }

    /**
     * Ends the run of {@code key} (the condition is over): its occurrences not written yet are
     * dropped, and its next occurrence is written at once.
     *
     * @return how many occurrences were not written
     */
    public synchronized long forget(String key) {
        Run run = runs.remove(key);
        return run == null ? 0 : run.repeats;
    }

    private static String summary(String message, long times, long elapsedMs) {
        return message + " (repeated " + times + (times == 1 ? " time" : " times") + " in the last "
                + Math.max(1, (elapsedMs + 500) / 1000) + "s)";
    }
}
