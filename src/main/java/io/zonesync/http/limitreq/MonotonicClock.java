package io.zonesync.http.limitreq;

/**
 * The clock limit_req measures with: milliseconds that never go backwards and do not follow wall
 * clock steps (nginx uses {@code ngx_current_msec}, from {@code CLOCK_MONOTONIC}). Only differences
 * between readings mean anything. Tests inject one they can move.
 */
@FunctionalInterface
public interface MonotonicClock {
    long millis();

    /** {@link System#nanoTime()} in milliseconds. */
    static MonotonicClock system() {
        return () -> System.nanoTime() / 1_000_000L;
    }
}
