package io.zonesync.net;

import io.zonesync.log.Severity;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One log line that a flood could repeat thousands of times a second, written at most once per
 * interval; the next line written says how many were left out. Thread-safe.
 */
final class PacedLine {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private boolean written;
    private long lastWritten;
    private int leftOut;

    PacedLine(Logger log, long intervalMs, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.nanoTime = nanoTime;
    }

    /** Writes {@code message} unless a line was written less than an interval ago. */
    synchronized void write(Severity level, String message) {
        long now = nanoTime.getAsLong();
        if (written && now - lastWritten < intervalNanos) {
            leftOut++;
            return;
        }
        String more = leftOut == 0 ? "" : " (" + leftOut + " more since the last report)";
        level.log(log, "{}{}", message, more);
        written = true;
        lastWritten = now;
        leftOut = 0;
    }
}
